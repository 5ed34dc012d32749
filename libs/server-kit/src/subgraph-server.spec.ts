import http from 'node:http';
import net from 'node:net';

import { parse } from 'graphql';
import pino from 'pino';

import { IDENTITY_HEADER, signIdentityToken } from './identity-token';
import { createSubgraphServer, type RunningServer } from './subgraph-server';

const SECRET = 'a-secret-used-only-by-this-spec-0123456789';

// A subgraph server with one extra route that counts the requests it handled, over real sockets.
describe('subgraph server stopping', () => {
  let running: RunningServer;
  let handled = 0;

  beforeEach(async () => {
    handled = 0;
    const server = createSubgraphServer({
      serviceName: 'probe',
      typeDefs: parse('type Query { ping: String }'),
      resolvers: { Query: { ping: () => 'pong' } },
      internalSecret: SECRET,
      createContext: () => ({}),
      readiness: async () => ({ serving: true }),
      logger: pino({ level: 'silent' }),
      routes: (app) => app.post('/write', (_request, response) => void response.json({ handled: (handled += 1) })),
    });
    running = await server.listen(0, '127.0.0.1');
  });

  afterEach(() => running.stop());

  const post = (agent: http.Agent) =>
    new Promise<http.IncomingMessage>((resolve, reject) => {
      const request = http.request(`http://127.0.0.1:${running.port}/write`, { method: 'POST', agent }, (response) => {
        response.resume();
        response.on('end', () => resolve(response));
      });
      request.on('error', reject);
      request.end();
    });

  it('answers GraphQL as not to be stored by caches, and with the result', async () => {
    // Act
    const response = await fetch(`http://127.0.0.1:${running.port}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [IDENTITY_HEADER]: await signIdentityToken({ userId: 'probe-admin', roles: ['ADMIN'], teamId: null }, SECRET),
      },
      body: JSON.stringify({ query: '{ ping }' }),
    });

    // Assert
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ data: { ping: 'pong' } });
  });

  it('keeps connections alive until it drains, then closes each after its answer', async () => {
    // Arrange
    const agent = new http.Agent({ keepAlive: true });

    // Act
    const before = await post(agent);
    running.drain();
    const during = await post(agent);

    // Assert
    expect(before.headers.connection).toBe('keep-alive');
    expect(during.headers.connection).toBe('close');
    expect(handled).toBe(2);
    agent.destroy();
  });

  it('does not carry out a request read from a connection it has already closed', async () => {
    // Arrange: a connection with no request in flight, which stopping closes.
    const socket = net.connect({ port: running.port, host: '127.0.0.1', allowHalfOpen: true });
    await new Promise((resolve) => socket.once('connect', resolve));
    const closedByServer = new Promise((resolve) => socket.once('end', resolve));
    const stopped = running.stop();
    await closedByServer;

    // Act: the request the client had already sent when the server's close reached it.
    socket.end(`POST /write HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n`);
    await new Promise((resolve) => socket.once('close', resolve));
    await stopped;

    // Assert
    expect(handled).toBe(0);
  });
});
