import { persistedExchange } from '@urql/exchange-persisted';
import { retryExchange } from '@urql/exchange-retry';
import { cacheExchange, Client, fetchExchange, mapExchange } from 'urql';

export const CLIENT_NAME = 'pipeline-web';
export const CLIENT_VERSION = '0.1.0';

// Operations go out as trusted documents: the sha256 the build registered, never the text. The production build never
// falls back to text (the gateway may refuse it); the dev server does when the gateway has not reread the manifest yet.
export function createGraphQLClient(token: string, onUnauthenticated: () => void): Client {
  return new Client({
    url: '/graphql',
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: () => ({
      headers: { authorization: `Bearer ${token}`, 'apollographql-client-name': CLIENT_NAME, 'apollographql-client-version': CLIENT_VERSION },
    }),
    exchanges: [
      mapExchange({
        onError(error) {
          const status = (error.response as Response | undefined)?.status;
          if (status === 401 || error.graphQLErrors.some((graphQLError) => graphQLError.extensions?.code === 'UNAUTHENTICATED')) onUnauthenticated();
        },
      }),
      cacheExchange,
      // Reads that failed on the way (a dropped connection, a service restarting) are tried again; writes never are.
      retryExchange({
        initialDelayMs: 300,
        maxDelayMs: 3_000,
        maxNumberAttempts: 3,
        retryIf: (error, operation) =>
          operation.kind === 'query' &&
          (Boolean(error.networkError) || error.graphQLErrors.some((graphQLError) => graphQLError.extensions?.code === 'SUBGRAPH_UNAVAILABLE')),
      }),
      persistedExchange({
        enforcePersistedQueries: import.meta.env.PROD,
        enableForMutation: true,
        preferGetForPersistedQueries: false,
        generateHash: async (_query, document) => (document as { __meta__?: { hash?: string } }).__meta__?.hash ?? '',
      }),
      fetchExchange,
    ],
  });
}

// The first error's stable code and the fields it names (extensions.unmetCriteria for stage gates).
export interface OperationFailure {
  code: string;
  message: string;
  unmetCriteria: string[];
  field?: string;
}

export function failureOf(
  error: { graphQLErrors: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }>; networkError?: Error; message: string } | undefined,
): OperationFailure | null {
  if (!error) return null;
  const first = error.graphQLErrors[0];
  if (!first) return { code: 'NETWORK', message: error.networkError?.message ?? error.message, unmetCriteria: [] };
  const extensions = first.extensions ?? {};
  return {
    code: String(extensions.code ?? 'ERROR'),
    message: first.message,
    unmetCriteria: Array.isArray(extensions.unmetCriteria) ? extensions.unmetCriteria.map(String) : [],
    field: typeof extensions.field === 'string' ? extensions.field : undefined,
  };
}
