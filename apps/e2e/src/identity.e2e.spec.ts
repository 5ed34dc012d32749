import { adminActor, errorCodes, gatewayClient, mintUserToken, subgraphClient, TEST_JWT_SECRET } from '@pipeline/testing';
import { SignJWT } from 'jose';

import { gatewayUrl, serviceUrls } from './e2e-env';

const QUERY = '{ pipelines { id } }';

describe('identity at the gateway and the subgraphs', () => {
  it('rejects anonymous requests with UNAUTHENTICATED and HTTP 401', async () => {
    const response = await gatewayClient(gatewayUrl(), null)(QUERY);
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it.each([
    ['a wrong signature', async () => mintUserToken(adminActor(), 'not-the-secret-0123456789-not-the-secret')],
    ['an expired token', async () => mintUserToken(adminActor(), TEST_JWT_SECRET, '-1m')],
    [
      'no roles claim',
      async () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setExpirationTime('1h').sign(new TextEncoder().encode(TEST_JWT_SECRET)),
    ],
    [
      'no expiry',
      async () => new SignJWT({ roles: ['ADMIN'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').sign(new TextEncoder().encode(TEST_JWT_SECRET)),
    ],
    [
      'alg none',
      async () =>
        `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', roles: ['ADMIN'], exp: 9_999_999_999 })).toString('base64url')}.`,
    ],
  ])('rejects a token with %s', async (_label, token) => {
    const response = await gatewayClient(gatewayUrl(), await token())(QUERY);
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('requires a token for GET operations and exports too, whatever the Accept header says', async () => {
    const url = new URL(gatewayUrl());
    url.searchParams.set('query', '{ pipelines { id } }');
    const getOperation = await fetch(url, { headers: { accept: '*/*', 'apollo-require-preflight': 'true' } });
    const htmlOperation = await fetch(url, { headers: { accept: 'text/html', 'apollo-require-preflight': 'true' } });
    const exportCsv = await fetch(gatewayUrl().replace('/graphql', '/exports/reports/rep.csv'), { headers: { accept: 'text/html' } });
    expect([getOperation.status, htmlOperation.status, exportCsv.status]).toEqual([401, 401, 401]);
  });

  it('answers a valid token', async () => {
    const response = await gatewayClient(gatewayUrl(), await mintUserToken(adminActor()))<any>(QUERY);
    expect(response.errors).toBeUndefined();
    expect(response.data?.pipelines.length).toBeGreaterThan(0);
  });

  it('has every subgraph refuse a direct call without the gateway-signed identity', async () => {
    for (const [name, url] of Object.entries(serviceUrls()).filter(([service]) => service !== 'gateway')) {
      const response = await subgraphClient(url, null)('{ _service { sdl } }');
      expect({ name, status: response.status, codes: errorCodes(response) }).toEqual({ name, status: 401, codes: ['UNAUTHENTICATED'] });
      const forged = await subgraphClient(url, adminActor(), 'a-secret-the-gateway-does-not-use-0123456789')('{ _service { sdl } }');
      expect({ name, status: forged.status }).toEqual({ name, status: 401 });
    }
  });
});
