import http from 'node:http';
import net from 'node:net';
import { adminActor, expectNoErrors, gatewayClient, mintUserToken, waitFor } from '@pipeline/testing';
import { serviceProcess } from './faults-env';

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
  return { spans, url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, close: () => server.close() };
}

describe('traces with an OTLP endpoint configured', () => {
  it('one trace runs from the gateway through the subgraph fetch to its SQL', async () => {
    // Arrange
    const receiver = await otlpReceiver();
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '100' };
    const lead = serviceProcess('lead', otel, await freePort());
    await lead.start();
    const gateway = serviceProcess('gateway', { ...otel, LEAD_SUBGRAPH_URL: lead.url, GATEWAY_REQUIRED_SUBGRAPHS: 'lead' }, await freePort());
    await gateway.start();
    const admin = gatewayClient(gateway.url, await mintUserToken(adminActor()));

    try {
      // Act
      expectNoErrors(await admin<any>('{ leads(first: 1) { totalCount } }'));
      const sql = await waitFor(() => receiver.spans.find((span) => span.service === 'lead-subgraph' && /^pg\.query/.test(span.name) && ancestry(receiver.spans, span).some((parent) => parent.service === 'gateway')), { timeoutMs: 20_000, what: 'a traced SQL statement under a gateway span' });

      // Assert
      const chain = ancestry(receiver.spans, sql);
      expect(new Set([sql, ...chain].map((span) => span.traceId)).size).toBe(1);
      expect(chain.some((span) => span.service === 'lead-subgraph' && span.kind === 2)).toBe(true);
      expect(chain.some((span) => span.service === 'gateway' && span.kind === 3)).toBe(true);
      expect(chain.at(-1)?.service).toBe('gateway');
    } finally {
      await gateway.kill();
      await lead.kill();
      receiver.close();
    }
  });
});

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
