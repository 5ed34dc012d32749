import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { type SubgraphFetcher, subgraphFetcher } from './subgraph-fetcher';

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
        response.end(JSON.stringify({ data: { echoed: JSON.parse(body).query, identity: request.headers['x-pipeline-identity'] } }));
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
    expect(await response.json()).toEqual({ data: { echoed: '{ a }', identity: 'token' } });
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

  it('sends a request again once when its reused socket was closed by the server', async () => {
    // Arrange: the second request on the first connection finds it closed without an answer.
    let requests = 0;
    handle = (request, response) => {
      requests += 1;
      if (requests === 2) return void request.socket.destroy();
      response.end(JSON.stringify({ data: { attempt: requests } }));
    };
    fetcher = subgraphFetcher({ service: 'deal', timeoutMs: 2_000 });
    await (await fetcher.fetch(url, { method: 'POST', body: '{}' })).text();

    // Act
    const response = await fetcher.fetch(url, { method: 'POST', body: '{}' });

    // Assert
    expect(await response.json()).toEqual({ data: { attempt: 3 } });
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
});
