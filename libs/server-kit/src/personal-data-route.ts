import type { PersonalDataEnvelope } from '@pipeline/events';
import { openOwnedEnvelope } from '@pipeline/persistence';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';

import { SERVICE_IDENTITY_HEADER, verifyServiceToken } from './identity-token';

export const OPEN_PERSONAL_DATA_PATH = '/internal/personal-data/open';

export interface PersonalDataRouteOptions {
  dataSource: DataSource;
  internalSecret: string;
  // The services that may read the owner's people (by the subject of their service token).
  allowedServices: readonly string[];
  logger: Logger;
}

const refuse = (response: Response, status: number, code: string, message: string) => void response.status(status).json({ code, message });

const isEnvelope = (value: unknown): value is PersonalDataEnvelope =>
  typeof value === 'object' &&
  value !== null &&
  ['alg', 'keyId', 'iv', 'tag', 'ciphertext'].every((field) => {
    const text = (value as Record<string, unknown>)[field];
    // PostgreSQL text cannot hold NUL: such a key id would fail in the database instead of being refused here.
    return typeof text === 'string' && text !== '' && !text.includes('\u0000');
  });

// Checks the caller's service identity before the body is read (an unknown caller never gets a body parsed).
const requireService = (options: PersonalDataRouteOptions) => async (request: Request, response: Response, next: NextFunction) => {
  const token = request.headers[SERVICE_IDENTITY_HEADER];
  if (typeof token !== 'string' || token.length === 0) return refuse(response, 401, 'UNAUTHENTICATED', 'Only a service identity may open personal data');
  let service: string;
  try {
    service = await verifyServiceToken(token, options.internalSecret);
  } catch {
    return refuse(response, 401, 'UNAUTHENTICATED', 'The service identity is not valid');
  }
  if (!options.allowedServices.includes(service)) return refuse(response, 403, 'FORBIDDEN', `${service} may not open personal data`);
  response.locals['service'] = service;
  next();
};

// A body that is not JSON or too big, or a failure while opening, answers with a stable code (never Express's HTML page).
function routeError(logger: Logger) {
  return (error: Error & { type?: string }, _request: Request, response: Response, _next: NextFunction) => {
    if (error.type === 'entity.too.large') return refuse(response, 413, 'PAYLOAD_TOO_LARGE', 'Post one envelope (at most 64kb)');
    if (error.type === 'entity.parse.failed') return refuse(response, 400, 'BAD_USER_INPUT', 'The body is not JSON');
    logger.error({ err: error }, 'opening a personal data envelope failed');
    refuse(response, 500, 'INTERNAL_SERVER_ERROR', 'The envelope could not be opened; try again');
  };
}

// "Decrypt through the owner": a service posts an envelope this service sealed and gets its fields back, so keys never
// leave the owner and an erased person (key destroyed) is refused with 410 for every reader at once.
export function mountPersonalDataRoute(app: Express, options: PersonalDataRouteOptions): void {
  app.post(
    OPEN_PERSONAL_DATA_PATH,
    requireService(options),
    express.json({ limit: '64kb' }),
    async (request: Request, response: Response) => {
      const service = response.locals['service'] as string;
      const envelope: unknown = request.body?.envelope;
      if (!isEnvelope(envelope)) return refuse(response, 400, 'BAD_USER_INPUT', 'Post { envelope: { alg, keyId, iv, tag, ciphertext } }');
      const opening = await openOwnedEnvelope(options.dataSource.manager, envelope);
      // The audit trail of who read whose personal data (never the data itself).
      options.logger.info({ service, subjectId: envelope.keyId, outcome: opening.outcome }, 'personal data envelope opened');
      switch (opening.outcome) {
        case 'opened':
          return void response.status(200).json({ fields: opening.fields });
        case 'erased':
          return void response.status(410).json({ code: 'ERASED', message: 'The person was erased', erasedAt: opening.erasedAt.toISOString() });
        case 'unknown-subject':
          return refuse(response, 404, 'NOT_FOUND', `No personal data key for ${envelope.keyId}`);
        case 'invalid':
          return refuse(response, 422, 'BAD_USER_INPUT', 'The envelope does not open with its subject key (altered, or sealed by another service)');
      }
    },
    routeError(options.logger),
  );
}
