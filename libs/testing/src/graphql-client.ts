import type { Actor } from '@pipeline/domain';
import { IDENTITY_HEADER, LOCAL_INTERNAL_SECRET, signIdentityToken, signUserToken } from '@pipeline/server-kit';

export interface GraphQLErrorShape {
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string; field?: string; unmetCriteria?: string[]; [key: string]: unknown };
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: GraphQLErrorShape[];
}

export type GraphQLCall = <T = Record<string, any>>(query: string, variables?: Record<string, unknown>) => Promise<GraphQLResponse<T>>;

async function post<T>(url: string, headers: Record<string, string>, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: { data?: T; errors?: GraphQLErrorShape[] } = {};
  try {
    body = JSON.parse(text);
  } catch {
    body = { errors: [{ message: text }] };
  }
  return { status: response.status, data: body.data, errors: body.errors };
}

// Calls a subgraph directly, with the identity header the gateway would add.
export function subgraphClient(url: string, actor: Actor | null, secret = LOCAL_INTERNAL_SECRET): GraphQLCall {
  return async (query, variables) => post(url, actor ? { [IDENTITY_HEADER]: await signIdentityToken(actor, secret) } : {}, query, variables);
}

export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789abcdef0123456789';

export const mintUserToken = (actor: Actor, secret = TEST_JWT_SECRET, expiresIn = '1h'): Promise<string> => signUserToken(actor, secret, expiresIn);

// Calls the gateway as an end user with a bearer token.
export function gatewayClient(url: string, token: string | null): GraphQLCall {
  return (query, variables) => post(url, token ? { authorization: `Bearer ${token}` } : {}, query, variables);
}

export function expectNoErrors<T>(response: GraphQLResponse<T>): T {
  if (response.errors && response.errors.length > 0) {
    throw new Error(`GraphQL errors: ${JSON.stringify(response.errors, null, 2)}`);
  }
  if (!response.data) throw new Error(`No data (HTTP ${response.status})`);
  return response.data;
}

export function errorCodes(response: GraphQLResponse): string[] {
  return (response.errors ?? []).map((error) => String(error.extensions?.code));
}
