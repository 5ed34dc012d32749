import { randomUUID } from 'node:crypto';
import { LOCAL_JWT_SECRET } from '@pipeline/server-kit';
import { mintUserToken } from '@pipeline/testing';

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
    (await mintUserToken({ userId: randomUUID(), roles: ['ADMIN'], teamId: null }, process.env.AUTH_JWT_SECRET ?? LOCAL_JWT_SECRET, '2h'));
  return { url, token };
}

export async function graphql<T = any>(options: GatewayOptions, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(options.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  if (body.errors?.length) throw new Error(body.errors.map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('; '));
  if (!body.data) throw new Error(`No data (HTTP ${response.status})`);
  return body.data;
}
