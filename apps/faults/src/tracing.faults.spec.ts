import { randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';

import type { ServiceProcess } from '@pipeline/dev-infra';
import { dropDatabase, withDatabase } from '@pipeline/persistence';
import { adminActor, expectNoErrors, gatewayClient, type GraphQLCall, mintUserToken, waitFor } from '@pipeline/testing';
import { Client } from 'pg';

import { killByPort, serviceProcess } from './faults-env';
import { createQualifiedLead } from './scenario';

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  service: string;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

// A local OTLP/HTTP (JSON) receiver: keeps every span it is sent, with the service that sent it.
async function otlpReceiver() {
  const spans: Span[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces') {
        for (const resourceSpans of JSON.parse(body).resourceSpans ?? []) {
          const service = resourceSpans.resource?.attributes?.find((attribute: any) => attribute.key === 'service.name')?.value?.stringValue;
          for (const scope of resourceSpans.scopeSpans ?? []) for (const span of scope.spans ?? []) spans.push({ ...span, service });
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    spans,
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: () => {
      // Exporters keep their connections alive; without closing them the server would hold Jest open.
      server.closeAllConnections();
      server.close();
    },
  };
}

describe('traces with an OTLP endpoint configured', () => {
  let receiver: Awaited<ReturnType<typeof otlpReceiver>>;
  let lead: ServiceProcess;
  let opportunity: ServiceProcess;
  let analytics: ServiceProcess;
  let gateway: ServiceProcess;
  let admin: GraphQLCall;
  const analyticsDatabase = withDatabase(process.env.TEST_DATABASE_URL as string, `traced_analytics_${randomUUID().slice(0, 8)}`);

  // One traced stack for the suite: lead and a fresh analytics beside the untraced ones, the opportunity service in place
  // of the stack's (so its relay is the one that publishes), and a gateway that routes to them.
  beforeAll(async () => {
    receiver = await otlpReceiver();
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '100' };
    lead = serviceProcess('lead', otel, await freePort());
    await killByPort('opportunity', 'SIGTERM');
    opportunity = serviceProcess('opportunity', otel);
    analytics = serviceProcess(
      'analytics',
      { ...otel, ANALYTICS_DATABASE_URL: analyticsDatabase, ANALYTICS_CONSUMER_GROUP: `traced-${randomUUID().slice(0, 8)}` },
      await freePort(),
    );
    await Promise.all([lead.start(), opportunity.start(), analytics.start()]);
    gateway = serviceProcess(
      'gateway',
      { ...otel, LEAD_SUBGRAPH_URL: lead.url, OPPORTUNITY_SUBGRAPH_URL: opportunity.url, GATEWAY_REQUIRED_SUBGRAPHS: 'lead,opportunity' },
      await freePort(),
    );
    await gateway.start();
    admin = gatewayClient(gateway.url, await mintUserToken(adminActor()));
  });

  afterAll(async () => {
    await gateway?.kill();
    await Promise.all([lead?.kill(), opportunity?.kill(), analytics?.kill()]);
    await serviceProcess('opportunity').start();
    await dropDatabase(analyticsDatabase);
    receiver?.close();
  });

  it('one trace runs from the gateway through the subgraph fetch to its SQL', async () => {
    // Act
    expectNoErrors(await admin<any>('{ leads(first: 1) { totalCount } }'));
    const sql = await waitFor(
      () =>
        receiver.spans.find(
          (span) =>
            span.service === 'lead-subgraph' && /^pg\.query/.test(span.name) && ancestry(receiver.spans, span).some((parent) => parent.service === 'gateway'),
        ),
      { timeoutMs: 20_000, what: 'a traced SQL statement under a gateway span' },
    );

    // Assert
    const chain = ancestry(receiver.spans, sql);
    expect(new Set([sql, ...chain].map((span) => span.traceId)).size).toBe(1);
    expect(chain.some((span) => span.service === 'lead-subgraph' && span.kind === SERVER)).toBe(true);
    expect(chain.some((span) => span.service === 'gateway' && span.kind === CLIENT)).toBe(true);
    expect(chain.at(-1)?.service).toBe('gateway');
    // The subgraph's request span hangs directly off the gateway's one CLIENT span for the fetch (no second, duplicate one).
    const serverAt = chain.findIndex((span) => span.service === 'lead-subgraph' && span.kind === SERVER);
    expect(`${chain[serverAt + 1]?.service}:${chain[serverAt + 1]?.kind}`).toBe(`gateway:${CLIENT}`);
    expect(chain.filter((span) => span.service === 'gateway' && span.kind === CLIENT)).toHaveLength(1);
  });

  it('one trace runs from convertLead at the gateway through the outbox and Kafka to the analytics projection SQL', async () => {
    // Arrange
    const leadId = await createQualifiedLead(admin);

    // Act
    const converted = expectNoErrors(
      await admin<any>(`mutation($input: ConvertLeadInput!) { convertLead(input: $input) { opportunity { id } } }`, { input: { leadId } }),
    );
    const opportunityId: string = converted.convertLead.opportunity.id;
    await waitFor(async () => (await analyticsRows(analyticsDatabase, opportunityId)) > 0, {
      timeoutMs: 30_000,
      what: 'analytics to project the converted opportunity',
    });
    // The opportunity's own projection: its chain passes the opportunity request and no lead service (the lead's
    // conversion, a reaction to the same request, reaches analytics by a longer chain).
    const projection = await waitFor(
      () =>
        receiver.spans.find((span) => {
          if (span.service !== 'analytics-subgraph' || !/^pg\.query/.test(span.name)) return false;
          const chain = ancestry(receiver.spans, span);
          return (
            chain.at(-1)?.service === 'gateway' &&
            chain.some((parent) => parent.service === 'opportunity-subgraph' && parent.kind === SERVER) &&
            !chain.some((parent) => parent.service === 'lead-subgraph')
          );
        }),
      { timeoutMs: 20_000, what: 'analytics projection SQL chained back to the convertLead request at the gateway' },
    );

    // Assert: SQL ← analytics consumer ← relay producer ← opportunity request ← gateway
    const chain = ancestry(receiver.spans, projection);
    const kinds = chain.map((span) => `${span.service}:${span.kind}`);
    expect(new Set([projection, ...chain].map((span) => span.traceId)).size).toBe(1);
    expect(kinds[0]).toBe(`analytics-subgraph:${CONSUMER}`);
    expect(kinds[1]).toBe(`opportunity-subgraph:${PRODUCER}`);
    expect(kinds).toContain(`opportunity-subgraph:${SERVER}`);
    expect(kinds.indexOf(`opportunity-subgraph:${SERVER}`)).toBeGreaterThan(1);
    expect(kinds).toContain(`gateway:${CLIENT}`);
    expect(chain.at(-1)?.service).toBe('gateway');
  });
});

const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;

async function analyticsRows(url: string, opportunityId: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT count(*)::int AS count FROM opportunity_fact WHERE opportunity_id = $1', [opportunityId])).rows[0].count;
  } finally {
    await client.end();
  }
}

// The span's parents, nearest first, as far as the receiver has them.
function ancestry(spans: Span[], span: Span): Span[] {
  const chain: Span[] = [];
  let current: Span | undefined = span;
  while (current?.parentSpanId) {
    const parentId: string = current.parentSpanId;
    current = spans.find((candidate) => candidate.spanId === parentId && candidate.traceId === span.traceId);
    if (current) chain.push(current);
  }
  return chain;
}
