import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createLogger } from '@pipeline/server-kit';
import { mintUserToken } from '@pipeline/testing';

import { gatewayConfigFromEnv } from './config';
import { DEV_STAFF } from './dev-sign-in';
import { type RunningGateway, startGateway } from './gateway-server';

// The gateway's browser-facing edge, with no subgraph running: what it answers here it answers before any subgraph.
const logger = createLogger('gateway-web-edge-test', 'silent');
const SECRET = 'web-edge-test-secret-0123456789abcdef0123456789';
const NO_SUBGRAPHS = {
  LEAD_SUBGRAPH_URL: 'http://127.0.0.1:9/graphql',
  OPPORTUNITY_SUBGRAPH_URL: 'http://127.0.0.1:9/graphql',
  DEAL_SUBGRAPH_URL: 'http://127.0.0.1:9/graphql',
  ANALYTICS_SUBGRAPH_URL: 'http://127.0.0.1:9/graphql',
};

const start = (env: Record<string, string>) => startGateway(gatewayConfigFromEnv({ AUTH_JWT_SECRET: SECRET, ...NO_SUBGRAPHS, ...env }), logger, 0);
const base = (gateway: RunningGateway) => gateway.url.replace(/\/graphql$/, '');
const post = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
};

describe('the gateway for browsers outside production', () => {
  let gateway: RunningGateway;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-edge-'));
  const manifest = path.join(dir, 'persisted-documents.json');
  const known = 'query Known { __typename }';

  beforeAll(async () => {
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Pipeline</title><div id="root"></div>');
    fs.writeFileSync(path.join(dir, 'assets', 'app-1234.js'), 'console.log(1)');
    fs.writeFileSync(manifest, JSON.stringify({ 'sha256:abc123': known }));
    gateway = await start({ WEB_DIST_DIR: dir, CORS_ALLOWED_ORIGINS: 'https://crm.example.com', GATEWAY_TRUSTED_DOCUMENTS_REQUIRED_FOR: 'pipeline-web' });
  });
  afterAll(async () => {
    await gateway?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers a preflight from an allowed origin without a token, and gives other origins no CORS grant', async () => {
    // Act
    const preflight = (origin: string) =>
      fetch(gateway.url, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
    const allowed = await preflight('https://crm.example.com');
    const other = await preflight('https://evil.example.net');

    // Assert
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://crm.example.com');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(other.status).not.toBe(401);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('signs a developer token for a seeded staff user, which the gateway then accepts', async () => {
    // Act
    const signed = await post(`${base(gateway)}/auth/dev/token`, { userId: DEV_STAFF[1].id });
    const call = await post(gateway.url, { query: '{ __typename }' }, { authorization: `Bearer ${signed.body.token}` });
    const unknown = await post(`${base(gateway)}/auth/dev/token`, { userId: randomUUID() });

    // Assert
    expect(signed.body.user).toMatchObject({ role: 'ADMIN', name: 'Adam Admin' });
    expect(call).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
    expect([unknown.status, unknown.body.errors[0].extensions.code, unknown.body.token]).toEqual([404, 'NOT_FOUND', undefined]);
  });

  it('resolves trusted document ids, and holds the web client to its manifest while other clients may send text', async () => {
    // Arrange
    const token = { authorization: `Bearer ${await mintUserToken({ userId: randomUUID(), roles: ['ADMIN'], teamId: null }, SECRET)}` };
    const web = { ...token, 'apollographql-client-name': 'pipeline-web' };

    // Act
    const byId = await post(gateway.url, { documentId: 'sha256:abc123' }, web);
    const byApolloHash = await post(gateway.url, { extensions: { persistedQuery: { version: 1, sha256Hash: 'sha256:ABC123' } } }, web);
    const knownText = await post(gateway.url, { query: known }, web);
    const freeText = await post(gateway.url, { query: '{ __schema { types { name } } }' }, web);
    const unknownId = await post(gateway.url, { documentId: 'sha256:ffff' }, web);
    const otherClient = await post(gateway.url, { query: '{ __typename }' }, token);

    // Assert
    for (const answer of [byId, byApolloHash, knownText, otherClient]) expect(answer).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
    expect([freeText.status, freeText.body.errors[0].extensions.code]).toEqual([400, 'PERSISTED_QUERY_NOT_IN_LIST']);
    expect(unknownId.body.errors[0]).toEqual({ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });
  });

  it('serves the web app from its own origin: routes get index.html, hashed assets are cached for good, settings come from the environment', async () => {
    // Act
    const route = await fetch(`${base(gateway)}/board?pipeline=x`, { headers: { accept: 'text/html' } });
    const healthScreen = await fetch(`${base(gateway)}/health`, { headers: { accept: 'text/html' } });
    const probe = await fetch(`${base(gateway)}/health/ready`, { headers: { accept: 'text/html' } });
    const asset = await fetch(`${base(gateway)}/assets/app-1234.js`);
    const settings = await fetch(`${base(gateway)}/web-config.json`);
    const sandbox = await fetch(gateway.url, { headers: { accept: 'text/html' } });

    // Assert
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<div id="root">');
    expect(route.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await healthScreen.text()).toContain('<div id="root">');
    expect(await probe.json()).toMatchObject({ service: 'gateway', status: expect.stringMatching(/^(ready|not-ready)$/) });
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    expect(await settings.json()).toEqual({ auth: { mode: 'dev' }, liveUpdates: false });
    expect(await sandbox.text()).not.toContain('<div id="root">');
  });
});

describe('the gateway for browsers in production', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await start({
      NODE_ENV: 'production',
      INTERNAL_AUTH_SECRET: 'production-internal-secret-0123456789-abcdef',
      WEB_OIDC_AUTHORITY: 'https://id.example.com/realms/sales',
      WEB_OIDC_CLIENT_ID: 'pipeline-web',
    });
  });
  afterAll(async () => gateway?.stop());

  it('refuses developer sign-in: no user list, no token', async () => {
    // Act
    const users = await fetch(`${base(gateway)}/auth/dev/users`);
    const token = await post(`${base(gateway)}/auth/dev/token`, { userId: DEV_STAFF[1].id });

    // Assert
    expect(users.status).toBe(404);
    expect([token.status, token.body.errors[0].extensions.code, token.body.token]).toEqual([404, 'NOT_FOUND', undefined]);
  });

  it('tells the web app to sign in with the identity provider (authorization code flow with PKCE)', async () => {
    const settings = (await (await fetch(`${base(gateway)}/web-config.json`)).json()) as { auth: unknown };
    expect(settings.auth).toEqual({ mode: 'oidc', authority: 'https://id.example.com/realms/sales', clientId: 'pipeline-web', scope: 'openid profile email' });
  });

  it('will not start holding clients to trusted documents without a manifest to hold them to', () => {
    expect(() => gatewayConfigFromEnv({ GATEWAY_TRUSTED_DOCUMENTS_REQUIRED_FOR: 'pipeline-web' })).toThrow(/needs a manifest/);
  });
});
