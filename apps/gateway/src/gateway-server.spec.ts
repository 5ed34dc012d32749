import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { createLogger, LOCAL_JWT_SECRET } from '@pipeline/server-kit';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

import { type GatewayConfig, gatewayConfigFromEnv } from './config';
import { type RunningGateway, startGateway } from './gateway-server';

// The gateway alone (no subgraph is running): whatever it refuses here is refused before any subgraph is called.
const logger = createLogger('gateway-test', 'silent');

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (() => {
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    })() as any,
  };
}

const codesOf = (body: any): string[] => (Array.isArray(body) ? body.flatMap(codesOf) : (body.errors ?? []).map((error: any) => error.extensions?.code));

describe('gateway in production mode with RS256 tokens from a JWKS', () => {
  let jwks: http.Server;
  let gateway: RunningGateway;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  let publicPem: string;
  const issuer = 'https://id.example.com/';
  const audience = 'sales-pipeline';

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
    const { createPublicKey } = await import('node:crypto');
    publicPem = createPublicKey({ key: jwk as never, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    jwks = http.createServer((_request, response) => response.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const config: GatewayConfig = {
      ...gatewayConfigFromEnv({
        NODE_ENV: 'production',
        AUTH_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`,
        AUTH_ISSUER: issuer,
        AUTH_AUDIENCE: audience,
        INTERNAL_AUTH_SECRET: 'production-secret-0123456789-0123456789',
      }),
      subgraphUrls: {
        lead: 'http://127.0.0.1:9/graphql',
        opportunity: 'http://127.0.0.1:9/graphql',
        deal: 'http://127.0.0.1:9/graphql',
        analytics: 'http://127.0.0.1:9/graphql',
      },
    };
    gateway = await startGateway(config, logger, 0);
  });

  afterAll(async () => {
    await gateway?.stop();
    jwks?.close();
  });

  const rs256 = (claims: Record<string, unknown> = {}, expires = '5m') =>
    new SignJWT({ roles: ['ADMIN'], ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .setSubject('user-1')
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(expires)
      .sign(privateKey);

  it('accepts a token signed by the identity provider', async () => {
    const response = await post(gateway.url, { query: '{ __typename }' }, { authorization: `Bearer ${await rs256()}` });
    expect(response).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
  });

  it.each([
    [
      'HS/RS confusion: HS256 signed with the public key',
      async () =>
        new SignJWT({ roles: ['ADMIN'] })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('x')
          .setIssuer(issuer)
          .setAudience(audience)
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(publicPem)),
    ],
    [
      'alg none',
      async () =>
        `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', roles: ['ADMIN'], iss: issuer, aud: audience, exp: 9_999_999_999 })).toString('base64url')}.`,
    ],
    ['an expired token', async () => rs256({}, '-1m')],
    [
      'a wrong audience',
      async () =>
        new SignJWT({ roles: ['ADMIN'] })
          .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
          .setSubject('x')
          .setIssuer(issuer)
          .setAudience('another-app')
          .setExpirationTime('5m')
          .sign(privateKey),
    ],
    ['an unknown role', async () => rs256({ roles: ['ROOT'] })],
    [
      'a missing subject',
      async () =>
        new SignJWT({ roles: ['ADMIN'] })
          .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
          .setIssuer(issuer)
          .setAudience(audience)
          .setExpirationTime('5m')
          .sign(privateKey),
    ],
  ])('answers UNAUTHENTICATED to %s', async (_label, token) => {
    const response = await post(gateway.url, { query: '{ __typename }' }, { authorization: `Bearer ${await token()}` });
    expect(response.status).toBe(401);
    expect(codesOf(response.body)).toEqual(['UNAUTHENTICATED']);
  });

  it('turns off introspection and the sandbox landing page in production', async () => {
    const introspection = await post(gateway.url, { query: '{ __schema { types { name } } }' }, { authorization: `Bearer ${await rs256()}` });
    // With a valid token, so what refuses the page is the production setting and not authentication
    const landing = await fetch(gateway.url, { headers: { accept: 'text/html', authorization: `Bearer ${await rs256()}` } });
    expect(codesOf(introspection.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(landing.status).not.toBe(401);
    expect(await landing.text()).not.toMatch(/sandbox|<html/i);
  });

  it('refuses production without secrets', () => {
    expect(() =>
      gatewayConfigFromEnv({ NODE_ENV: 'production', AUTH_JWKS_URL: 'https://id.example.com/jwks', AUTH_ISSUER: issuer, AUTH_AUDIENCE: audience }),
    ).toThrow(/INTERNAL_AUTH_SECRET must be set in production/);
    expect(() => gatewayConfigFromEnv({ NODE_ENV: 'production', INTERNAL_AUTH_SECRET: 'x'.repeat(40) })).toThrow(/AUTH_JWT_SECRET must be set in production/);
  });

  it('refuses a JWKS without both an issuer and an audience to check', () => {
    const base = { NODE_ENV: 'production', AUTH_JWKS_URL: 'https://id.example.com/jwks', INTERNAL_AUTH_SECRET: 'x'.repeat(40) };
    expect(() => gatewayConfigFromEnv({ ...base, AUTH_ISSUER: issuer })).toThrow(/AUTH_ISSUER and AUTH_AUDIENCE must be set/);
    expect(() => gatewayConfigFromEnv({ ...base, AUTH_AUDIENCE: audience })).toThrow(/AUTH_ISSUER and AUTH_AUDIENCE must be set/);
    expect(gatewayConfigFromEnv({ ...base, AUTH_ISSUER: issuer, AUTH_AUDIENCE: audience }).auth).toMatchObject({ mode: 'jwks', issuer, audience });
  });

  describe('query abuse is refused before any subgraph is called', () => {
    const deep = (levels: number) =>
      `{ opportunities { edges { node { ${'pipeline { stages { key } } '.repeat(1)}${'lead { opportunity { '.repeat(levels)}id${' } }'.repeat(levels)} } } } }`;

    it.each([
      ['too deep', () => ({ query: deep(8) }), /depth limit of 12 exceeded/],
      [
        'too many aliases',
        () => ({ query: `{ ${Array.from({ length: 40 }, (_, index) => `a${index}: pipelines { id }`).join(' ')} }` }),
        /Aliases limit of 30 exceeded/,
      ],
      [
        'too costly',
        () => ({
          query: `{ ${Array.from({ length: 25 }, (_, index) => `a${index}: opportunities(first: 500) { edges { node { id name stageHistory { toStage } activities { subject } } } }`).join(' ')} }`,
        }),
        /Cost limit of 20000 exceeded/,
      ],
      ['a page size above 500', () => ({ query: '{ leads(first: 501) { totalCount } }' }), /first must be between 0 and 500/],
      [
        'a page size above 500 in a variable',
        () => ({ query: 'query($n: Int) { opportunities(first: $n) { totalCount } }', variables: { n: 100_000 } }),
        /first must be between 0 and 500/,
      ],
      [
        'a page size above 500 as a variable default',
        () => ({ query: 'query($n: Int = 100000) { opportunities(first: $n) { totalCount } }' }),
        /first must be between 0 and 500/,
      ],
      [
        'forecast simulations multiplied by aliases',
        () => ({ query: `{ ${Array.from({ length: 3 }, (_, index) => `f${index}: forecast(simulations: 10000) { simulations }`).join(' ')} }` }),
        /at most 20000 forecast simulations/,
      ],
      [
        'default forecast simulations multiplied by aliases',
        () => ({ query: `{ ${Array.from({ length: 11 }, (_, index) => `f${index}: forecast { simulations }`).join(' ')} }` }),
        /at most 20000 forecast simulations/,
      ],
      [
        'a negative count in an operation that never runs, to buy budget for the one that does',
        () => ({
          query:
            'query Credit { forecast(simulations: -100000000) { simulations } } query Run { a: forecast(simulations: 15000) { simulations } b: forecast(simulations: 15000) { simulations } }',
          operationName: 'Run',
        }),
        /at most 20000 forecast simulations/,
      ],
      [
        'a negative count beside real ones',
        () => ({
          query: `{ credit: forecast(simulations: -100000000) { simulations } ${Array.from({ length: 3 }, (_, index) => `f${index}: forecast(simulations: 10000) { simulations }`).join(' ')} }`,
        }),
        /at most 20000 forecast simulations/,
      ],
      [
        'a variable named like an Object property, to hide its default',
        () => ({
          query:
            'query($constructor: Int = 20000) { a: forecast(simulations: $constructor) { simulations } b: forecast(simulations: $constructor) { simulations } }',
          variables: {},
        }),
        /at most 20000 forecast simulations/,
      ],
      [
        'forecast snapshots multiplied by aliases',
        () => ({ query: `mutation { ${Array.from({ length: 11 }, (_, index) => `s${index}: takeForecastSnapshot { id }`).join(' ')} }` }),
        /at most 20000 forecast simulations/,
      ],
      // Variables: the static cost rule prices only literal page sizes.
      [
        'page sizes in variables multiplied along nested lists',
        () => ({
          query: 'query($a: Int, $b: Int) { opportunities(first: $a) { edges { node { activities(first: $b) { subject } } } } }',
          variables: { a: 500, b: 500 },
        }),
        /at most 50000 rows/,
      ],
      [
        'nested page sizes inside a fragment',
        () => ({
          query:
            'query($a: Int = 200, $b: Int = 300) { ...Board } fragment Board on Query { opportunities(first: $a) { edges { node { stageHistory(first: $b) { toStage } } } } }',
        }),
        /at most 50000 rows/,
      ],
      [
        'more cards per stage than the board allows',
        () => ({ query: '{ pipelineBoard(cardsPerStage: 101) { totalCount } }' }),
        /cardsPerStage must be between 0 and 100/,
      ],
      // Lists counted at what the subgraph really returns, not at a guess.
      [
        'stage histories without first, which return up to 500 entries each',
        () => ({ query: '{ opportunities(first: 200) { edges { node { stageHistory { toStage } } } } }' }),
        /at most 50000 rows/,
      ],
      [
        'proposals and their line items, which have no page argument',
        () => ({ query: '{ opportunities(first: 20) { edges { node { deal { proposals { lineItems { description } } } } } } }' }),
        /at most 50000 rows/,
      ],
      [
        'board cards multiplied by the columns of the board',
        () => ({
          query:
            '{ a: pipelineBoard(cardsPerStage: 100) { columns { cards { id } } } b: pipelineBoard(cardsPerStage: 100) { columns { cards { id activities(first: 20) { subject } } } } }',
        }),
        /at most 50000 rows/,
      ],
    ])('%s', async (_label, body, message) => {
      const response = await post(gateway.url, body(), { authorization: `Bearer ${await rs256()}` });
      expect(response.status).toBe(400);
      expect(response.body.errors).toHaveLength(1);
      expect(response.body.errors[0].message).toMatch(message);
      expect(['GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']).toContain(response.body.errors[0].extensions.code);
    });

    it('caps batched operations and the request body size', async () => {
      const token = `Bearer ${await rs256()}`;
      const batch = await post(
        gateway.url,
        Array.from({ length: 11 }, () => ({ query: '{ __typename }' })),
        { authorization: token },
      );
      const allowedBatch = await post(
        gateway.url,
        Array.from({ length: 3 }, () => ({ query: '{ __typename }' })),
        { authorization: token },
      );
      const huge = await post(gateway.url, { query: '{ __typename }', variables: { pad: 'x'.repeat(5 * 1024 * 1024) } }, { authorization: token });
      expect([batch.status, codesOf(batch.body)]).toEqual([400, ['BAD_REQUEST']]);
      expect(allowedBatch.body).toHaveLength(3);
      expect([huge.status, codesOf(huge.body)]).toEqual([413, ['BAD_REQUEST']]);
    });

    it('counts rows across the operations of one batch, not afresh for each', async () => {
      // Page sizes in variables, which the static cost rule does not price.
      const operation = {
        query: 'query($a: Int, $b: Int) { opportunities(first: $a) { edges { node { activities(first: $b) { subject } } } } }',
        variables: { a: 99, b: 100 },
      };
      const batch = await post(
        gateway.url,
        Array.from({ length: 6 }, () => operation),
        { authorization: `Bearer ${await rs256()}` },
      );
      // 9,999 rows each: five fit the 50,000-row budget of the request (and then fail only because no subgraph runs here).
      expect(batch.body[5].errors[0]).toMatchObject({ message: expect.stringMatching(/at most 50000 rows/), extensions: { code: 'BAD_USER_INPUT' } });
      expect(batch.body[4].errors?.[0]?.message ?? '').not.toMatch(/rows/);
    });

    it('counts forecast simulations across the operations of one batch', async () => {
      const operation = { query: '{ forecast(simulations: 8000) { simulations } }' };
      const batch = await post(gateway.url, [operation, operation, operation], { authorization: `Bearer ${await rs256()}` });
      // The first two fit the budget (and then fail only because no subgraph runs here); the third is refused.
      expect(batch.body[2].errors[0]).toMatchObject({
        message: expect.stringMatching(/at most 20000 forecast simulations/),
        extensions: { code: 'BAD_USER_INPUT' },
      });
      expect(batch.body[0].errors?.[0]?.message ?? '').not.toMatch(/forecast simulations/);
    });
  });
});

describe('gateway in front of a subgraph that never answers', () => {
  let silent: http.Server;
  let gateway: RunningGateway;

  beforeAll(async () => {
    // Accepts every request and never responds, like a subgraph stuck on a lock or a dead process behind a proxy.
    silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const base = gatewayConfigFromEnv({});
    const config: GatewayConfig = {
      ...base,
      subgraphUrls: { lead: `${url}/graphql`, opportunity: `${url}/graphql`, deal: `${url}/graphql`, analytics: `${url}/graphql` },
      limits: { ...base.limits, subgraphTimeoutMs: 300, exportTimeoutMs: 300 },
    };
    gateway = await startGateway(config, logger, 0);
  });

  afterAll(async () => {
    await gateway?.stop();
    silent?.closeAllConnections();
    silent?.close();
  });

  const token = () =>
    new SignJWT({ roles: ['ADMIN'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('admin-1')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(LOCAL_JWT_SECRET));

  it('fails the fields of a subgraph that does not answer in time with TIMEOUT, naming it', async () => {
    const response = await post(gateway.url, { query: '{ pipelines { id } }' }, { authorization: `Bearer ${await token()}` });
    expect(codesOf(response.body)).toEqual(['TIMEOUT']);
    expect(response.body.errors[0]).toMatchObject({
      message: expect.stringMatching(/^The opportunity service did not answer within 300 ms; a change it was making may or may not have been saved/),
      extensions: { serviceName: 'opportunity' },
    });
  });

  it('answers an export that does not finish in time with 504 TIMEOUT', async () => {
    const response = await fetch(gateway.url.replace('/graphql', '/exports/reports/rep.csv'), { headers: { authorization: `Bearer ${await token()}` } });
    expect(response.status).toBe(504);
    expect(codesOf(await response.json())).toEqual(['TIMEOUT']);
  });
});

describe('gateway in front of a subgraph that reads a request and closes the connection without answering', () => {
  let closing: http.Server;
  let gateway: RunningGateway;
  let received = 0;

  beforeAll(async () => {
    // Takes the request in (it may have carried it out), then the connection closes: a process stopping mid-request.
    closing = http.createServer((request) => {
      received += 1;
      request.socket.destroy();
    });
    await new Promise<void>((resolve) => closing.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closing.address() as AddressInfo).port}/graphql`;
    const base = gatewayConfigFromEnv({});
    gateway = await startGateway({ ...base, subgraphUrls: { lead: url, opportunity: url, deal: url, analytics: url } }, logger, 0);
  });

  afterAll(async () => {
    await gateway?.stop();
    closing?.closeAllConnections();
    closing?.close();
  });

  const token = () =>
    new SignJWT({ roles: ['ADMIN'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('admin-1')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(LOCAL_JWT_SECRET));

  it('answers a mutation OUTCOME_UNKNOWN, naming the service, and does not send it again', async () => {
    // Arrange
    received = 0;
    const mutation = `mutation { createLead(input: { name: "Ada", company: "Closing Ltd", source: OTHER }) { lead { id } } }`;

    // Act
    const response = await post(gateway.url, { query: mutation }, { authorization: `Bearer ${await token()}` });

    // Assert
    expect(codesOf(response.body)).toEqual(['OUTCOME_UNKNOWN']);
    expect(response.body.errors[0]).toMatchObject({
      message: 'The lead service closed the connection before answering; a change it was making may or may not have been saved: reload before retrying',
      extensions: { serviceName: 'lead' },
    });
    expect(received).toBe(1);
  });

  it('answers a query whose connection closed SUBGRAPH_UNAVAILABLE: a read changed nothing', async () => {
    // Act
    const response = await post(gateway.url, { query: '{ pipelines { id } }' }, { authorization: `Bearer ${await token()}` });

    // Assert
    expect(codesOf(response.body)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    expect(response.body.errors[0].extensions.serviceName).toBe('opportunity');
  });
});
