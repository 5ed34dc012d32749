import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { createLogger } from '@pipeline/server-kit';

import { gatewayConfigFromEnv } from './config';
import { type RunningGateway, startGateway } from './gateway-server';
import { apolloReportingPlugins, readinessSettingsFromEnv } from './readiness';

// Stand-ins for the subgraphs' health endpoints: the gateway's readiness reads only /health/ready.
const logger = createLogger('gateway-test', 'silent');

interface FakeSubgraph {
  url: string;
  status: number;
  checks: Record<string, boolean>;
  close(): void;
}

// Answers as server-kit does: 503 when any check fails, with the checks.
async function fakeSubgraph(): Promise<FakeSubgraph> {
  const state = { status: 200, checks: { database: true, consumers: true, serving: true } as Record<string, boolean> };
  const server = http.createServer((request, response) => {
    if (request.url !== '/health/ready') return void response.writeHead(404).end();
    response
      .writeHead(state.status, { 'content-type': 'application/json' })
      .end(JSON.stringify({ status: state.status === 200 ? 'ready' : 'not-ready', checks: state.checks }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    get status() {
      return state.status;
    },
    set status(value: number) {
      state.status = value;
    },
    get checks() {
      return state.checks;
    },
    set checks(value: Record<string, boolean>) {
      state.checks = value;
    },
    close: () => server.close(),
  };
}

describe('gateway readiness', () => {
  let gateway: RunningGateway;
  let subgraphs: Record<'lead' | 'opportunity' | 'deal' | 'analytics', FakeSubgraph>;

  beforeAll(async () => {
    subgraphs = { lead: await fakeSubgraph(), opportunity: await fakeSubgraph(), deal: await fakeSubgraph(), analytics: await fakeSubgraph() };
    const env = { GATEWAY_REQUIRED_SUBGRAPHS: 'lead,opportunity,deal', GATEWAY_READINESS_TIMEOUT_MS: '1000' };
    const config = gatewayConfigFromEnv(env);
    const subgraphUrls = Object.fromEntries(Object.entries(subgraphs).map(([name, subgraph]) => [name, subgraph.url]));
    gateway = await startGateway({ ...config, subgraphUrls, readiness: readinessSettingsFromEnv(Object.keys(subgraphUrls), env) }, logger, 0);
  });

  afterEach(() => {
    for (const subgraph of Object.values(subgraphs)) {
      subgraph.status = 200;
      subgraph.checks = { database: true, consumers: true, serving: true };
    }
  });

  afterAll(async () => {
    await gateway?.stop();
    for (const subgraph of Object.values(subgraphs ?? {})) subgraph.close();
  });

  const ready = async () => {
    const response = await fetch(`http://127.0.0.1:${gateway.port}/health/ready`);
    return { status: response.status, body: (await response.json()) as any };
  };

  it('is ready when every required subgraph is', async () => {
    // Act
    const answer = await ready();

    // Assert
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'ready', required: ['lead', 'opportunity', 'deal'] });
    expect(Object.values(answer.body.subgraphs).every((subgraph: any) => subgraph.ready)).toBe(true);
  });

  it('answers 503 naming the required subgraph that is not ready', async () => {
    // Arrange
    subgraphs.deal.status = 503;
    subgraphs.deal.checks = { database: false, consumers: true, serving: true };

    // Act
    const answer = await ready();

    // Assert
    expect(answer.status).toBe(503);
    expect(answer.body.status).toBe('not-ready');
    expect(answer.body.subgraphs.deal).toEqual({ ready: false, status: 503, error: 'answered 503 (database)' });
    expect(answer.body.subgraphs.lead).toEqual({ ready: true, status: 200 });
  });

  it('answers 503 when a required subgraph cannot be reached', async () => {
    // Arrange
    const config = gatewayConfigFromEnv({});
    const unreachable = {
      lead: 'http://127.0.0.1:9/graphql',
      opportunity: subgraphs.opportunity.url,
      deal: subgraphs.deal.url,
      analytics: subgraphs.analytics.url,
    };
    const other = await startGateway({ ...config, subgraphUrls: unreachable, readiness: { required: ['lead'], timeoutMs: 1000 } }, logger, 0);

    // Act
    const response = await fetch(`http://127.0.0.1:${other.port}/health/ready`);
    const body = (await response.json()) as any;
    await other.stop();

    // Assert
    expect(response.status).toBe(503);
    expect(body.subgraphs.lead).toEqual({ ready: false, error: expect.stringMatching(/^unreachable/) });
  });

  it('answers 503 while a required subgraph drains before stopping', async () => {
    // Arrange
    subgraphs.lead.status = 503;
    subgraphs.lead.checks = { database: true, consumers: true, serving: false };

    // Act
    const answer = await ready();

    // Assert
    expect(answer.status).toBe(503);
    expect(answer.body.subgraphs.lead).toEqual({ ready: false, status: 503, error: 'answered 503 (serving)' });
  });

  it('stays ready when a subgraph still serves but its Kafka consumers are down, and says so', async () => {
    // Arrange
    subgraphs.opportunity.status = 503;
    subgraphs.opportunity.checks = { database: true, consumers: false, serving: true };

    // Act
    const answer = await ready();

    // Assert
    expect(answer.status).toBe(200);
    expect(answer.body.subgraphs.opportunity).toEqual({ ready: true, status: 503, degraded: ['consumers'] });
  });

  it('stays ready when only a subgraph it does not require is down, and shows it', async () => {
    // Arrange
    subgraphs.analytics.status = 503;

    // Act
    const answer = await ready();

    // Assert
    expect(answer.status).toBe(200);
    expect(answer.body.subgraphs.analytics.ready).toBe(false);
  });

  it('refuses a required subgraph it does not know', () => {
    expect(() => gatewayConfigFromEnv({ GATEWAY_REQUIRED_SUBGRAPHS: 'lead,billing' })).toThrow(/unknown subgraphs: billing/);
  });
});

describe("Apollo's outbound reporting", () => {
  const ids = (env: NodeJS.ProcessEnv) => apolloReportingPlugins(env).map((plugin) => (plugin as { __internal_plugin_id__?: string }).__internal_plugin_id__);

  it('is turned off unless an operator turns it on, even with an Apollo key in the environment', () => {
    expect(ids({ APOLLO_KEY: 'service:graph:key', APOLLO_GRAPH_REF: 'graph@current' })).toEqual(['UsageReporting', 'SchemaReporting']);
    expect(ids({ GATEWAY_APOLLO_USAGE_REPORTING: 'on' })).toEqual([]);
  });
});
