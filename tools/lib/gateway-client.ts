import { randomUUID } from 'node:crypto';

import type { Actor } from '@pipeline/domain';
import { IDENTITY_HEADER, LOCAL_INTERNAL_SECRET, LOCAL_JWT_SECRET, signIdentityToken, signUserToken } from '@pipeline/server-kit';

export interface GatewayOptions {
  url: string;
  token: string;
}

// Tools talk to the system the way any client does: through the gateway, with a bearer token.
export async function gatewayOptions(args: { url?: string; token?: string }): Promise<GatewayOptions> {
  const url = args.url ?? process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql';
  const token =
    args.token ??
    process.env.GATEWAY_TOKEN ??
    (await signUserToken({ userId: randomUUID(), roles: ['ADMIN'], teamId: null }, process.env.AUTH_JWT_SECRET ?? LOCAL_JWT_SECRET, '2h'));
  return { url, token };
}

export async function graphql<T = any>(options: GatewayOptions, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  return postGraphql<T>(options.url, { authorization: `Bearer ${options.token}` }, query, variables);
}

// A subgraph directly, as the gateway calls it (a signed identity), for operators' tools such as analytics:rebuild.
export async function subgraphGraphql<T = any>(url: string, actor: Actor, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const token = await signIdentityToken(actor, process.env.INTERNAL_AUTH_SECRET ?? LOCAL_INTERNAL_SECRET);
  return postGraphql<T>(url, { [IDENTITY_HEADER]: token }, query, variables);
}

async function postGraphql<T>(url: string, headers: Record<string, string>, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  if (body.errors?.length) throw new Error(body.errors.map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('; '));
  if (!body.data) throw new Error(`No data (HTTP ${response.status})`);
  return body.data;
}
