import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';

import { type SubgraphFetcher, subgraphFetcher } from './subgraph-fetcher';

const QUERY = JSON.stringify({ query: 'query Leads__lead__0{leads{totalCount}}', variables: {} });
const MUTATION = JSON.stringify({ query: 'mutation CreateLead__lead__0($input:CreateLeadInput!){createLead(input:$input){lead{id}}}', variables: {} });

// A local HTTP server whose handler each test sets; the fetcher under test talks to it over real sockets.
describe('subgraphFetcher', () => {
  let server: http.Server;
  let url: string;
  let handle: (request: http.IncomingMessage, response: http.ServerResponse) => void;
  let fetcher: SubgraphFetcher;
  const sockets = new Set<Socket>();

  beforeEach(async () => {
    server = http.createServer((request, response) => handle(request, response));
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });

  afterEach(async () => {
    fetcher?.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('posts the body with its headers and returns status, headers and JSON', async () => {
    // Arrange
    handle = (request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            data: { echoed: JSON.parse(body).query, identity: request.headers['x-pipeline-identity'], traceparent: request.headers.traceparent ?? null },
          }),
        );
      });
    };
    fetcher = subgraphFetcher({ service: 'lead', timeoutMs: 2_000 });

    // Act
    const response = await fetcher.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-pipeline-identity': 'token' },
      body: JSON.stringify({ query: '{ a }' }),
    });

    // Assert
    expect(response.ok).toBe(true);
    expect(response.headers.get('content-type')).toBe('application/json');
    // Without tracing nothing is propagated.
    expect(await response.json()).toEqual({ data: { echoed: '{ a }', identity: 'token', traceparent: null } });
  });

  it('keeps the connection alive between requests', async () => {
    // Arrange
    const ports = new Set<number>();
    handle = (request, response) => {
      ports.add(request.socket.remotePort as number);
      response.end('{}');
    };
    fetcher = subgraphFetcher({ service: 'lead', timeoutMs: 2_000 });

    // Act
    for (let index = 0; index < 3; index += 1) await (await fetcher.fetch(url, { method: 'POST', body: '{}' })).text();

    // Assert
    expect(ports.size).toBe(1);
  });

  it('sends a query again once when its reused socket was closed by the server without an answer', async () => {
    // Arrange: the second request on the first connection finds it closed without an answer.
    let requests = 0;
    handle = (request, response) => {
      requests += 1;
      if (requests === 2) return void request.socket.destroy();
      response.end(JSON.stringify({ data: { attempt: requests } }));
    };
    fetcher = subgraphFetcher({ service: 'deal', timeoutMs: 2_000 });
    await (await fetcher.fetch(url, { method: 'POST', body: QUERY })).text();

    // Act
    const response = await fetcher.fetch(url, { method: 'POST', body: QUERY });

    // Assert
    expect(await response.json()).toEqual({ data: { attempt: 3 } });
  });

  it('never sends a mutation again, and says its outcome is unknown, when the connection closed before the answer', async () => {
    // Arrange: the server read the mutation (it may have carried it out), then the connection closed without an answer.
    let requests = 0;
    handle = (request, response) => {
      requests += 1;
      if (requests === 2) return void request.socket.destroy();
      response.end(JSON.stringify({ data: { attempt: requests } }));
    };
    fetcher = subgraphFetcher({ service: 'lead', timeoutMs: 2_000 });
    await (await fetcher.fetch(url, { method: 'POST', body: MUTATION })).text();

    // Act
    const outcome = fetcher.fetch(url, { method: 'POST', body: MUTATION });

    // Assert
    await expect(outcome).rejects.toThrow('The lead service closed the connection before answering (ECONNRESET)');
    expect(requests).toBe(2);
  });

  it('names the service that did not answer within the deadline', async () => {
    // Arrange
    handle = () => undefined;
    fetcher = subgraphFetcher({ service: 'analytics', timeoutMs: 100 });

    // Act
    const outcome = fetcher.fetch(url, { method: 'POST', body: '{}' });

    // Assert
    await expect(outcome).rejects.toThrow('The analytics service did not answer within 100 ms');
  });

  it('names the service that is unreachable', async () => {
    // Arrange
    fetcher = subgraphFetcher({ service: 'opportunity', timeoutMs: 2_000 });
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    server = http.createServer();

    // Act
    const outcome = fetcher.fetch(url, { method: 'POST', body: '{}' });

    // Assert
    await expect(outcome).rejects.toThrow('The opportunity service is unreachable (ECONNREFUSED)');
  });

  describe('with tracing on', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

    beforeAll(() => provider.register());
    afterEach(() => exporter.reset());
    afterAll(async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    });

    it('records a CLIENT span under the active span and sends its context as traceparent', async () => {
      // Arrange
      let traceparent: string | undefined;
      handle = (request, response) => {
        traceparent = request.headers.traceparent as string | undefined;
        response.end('{"data":{}}');
      };
      fetcher = subgraphFetcher({ service: 'lead', timeoutMs: 2_000 });

      // Act
      const parent = await trace.getTracer('test').startActiveSpan('gateway.fetch', async (span) => {
        await (await fetcher.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUERY })).text();
        span.end();
        return span.spanContext();
      });

      // Assert
      const client = exporter.getFinishedSpans().find((span) => span.kind === SpanKind.CLIENT);
      expect(client?.spanContext().traceId).toBe(parent.traceId);
      expect(client?.parentSpanId).toBe(parent.spanId);
      expect(traceparent).toBe(`00-${parent.traceId}-${client?.spanContext().spanId}-01`);
      expect(client?.name).toBe('POST');
      expect(client?.attributes).toMatchObject({
        'http.request.method': 'POST',
        'url.full': url,
        'server.address': '127.0.0.1',
        'server.port': Number(new URL(url).port),
        'http.response.status_code': 200,
      });
      expect(client?.status.code).toBe(SpanStatusCode.UNSET);
    });

    it('marks the span as an error when the service is unreachable', async () => {
      // Arrange
      fetcher = subgraphFetcher({ service: 'opportunity', timeoutMs: 2_000 });
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      server = http.createServer();

      // Act
      await expect(fetcher.fetch(url, { method: 'POST', body: QUERY })).rejects.toThrow('unreachable');

      // Assert
      const [client] = exporter.getFinishedSpans();
      expect(client.kind).toBe(SpanKind.CLIENT);
      expect(client.status).toEqual({ code: SpanStatusCode.ERROR, message: 'The opportunity service is unreachable (ECONNREFUSED)' });
    });
  });
});
