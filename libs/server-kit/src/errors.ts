import { unwrapResolverError } from '@apollo/server/errors';
import { isDomainError } from '@pipeline/domain';
import { isStatementTimeout } from '@pipeline/persistence';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';

import { isPersonalDataUnavailable } from './personal-data-client';

const PUBLIC_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'STAGE_GATE_FAILED',
  'APPROVAL_REQUIRED',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'QUERY_TOO_COMPLEX',
]);

// Clients get the contract's code and a plain message; stack traces and SQL stay in the server log.
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    // PostgreSQL cancelled a statement that ran too long; its transaction rolled back, so nothing was written.
    if (isStatementTimeout(original)) {
      logger.warn({ err: original, path: formatted.path }, 'statement timeout while serving a request');
      return {
        message: 'The request took longer than the server allows and was stopped; nothing was written. Try again, or narrow it down.',
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: 'TIMEOUT' },
      };
    }
    // Another service (the owner of a person's key) could not answer; the use case wrote nothing, a retry may succeed.
    if (isPersonalDataUnavailable(original)) {
      logger.warn({ err: original, path: formatted.path }, 'personal data owner unavailable while serving a request');
      return {
        message: `The ${original.ownerService} service, which holds this person, could not be reached; nothing was written. Try again shortly.`,
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: original.ownerService, retryable: true },
      };
    }
    if (isDomainError(original)) {
      return { message: original.message, path: formatted.path, locations: formatted.locations, extensions: { code: original.code, ...original.details } };
    }
    const code = String(formatted.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
    if (PUBLIC_CODES.has(code)) {
      const { stacktrace: _stacktrace, exception: _exception, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
      return { ...formatted, extensions: { ...extensions, code } };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error while serving a request');
    return { message: 'Internal server error', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
