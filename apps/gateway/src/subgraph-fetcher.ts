import http from 'node:http';
import https from 'node:https';

import type { RemoteGraphQLDataSource } from '@apollo/gateway';

type Fetcher = NonNullable<NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher']>;
type FetcherRequestInit = NonNullable<Parameters<Fetcher>[1]>;
type FetcherResponse = Awaited<ReturnType<Fetcher>>;
type FetcherHeaders = FetcherResponse['headers'];

export interface SubgraphFetcherOptions {
  service: string;
  timeoutMs: number;
  // Below the subgraph server's keepAliveTimeout (Node's default is 5 s), so the gateway drops an idle socket first.
  idleTimeoutMs?: number;
}

export interface SubgraphFetcher {
  fetch: Fetcher;
  close(): void;
}

class TimedOut extends Error {}

// A closed keep-alive socket shows up as one of these before any byte of the answer arrived.
const STALE_SOCKET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

class Response implements FetcherResponse {
  bodyUsed = false;
  readonly redirected = false;
  readonly ok: boolean;
  readonly headers: FetcherHeaders;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    rawHeaders: http.IncomingHttpHeaders,
    private readonly body: Buffer,
  ) {
    this.ok = status >= 200 && status < 300;
    const headers = new Headers();
    for (const [name, value] of Object.entries(rawHeaders)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    this.headers = headers as unknown as FetcherHeaders;
  }

  async text(): Promise<string> {
    this.bodyUsed = true;
    return this.body.toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    this.bodyUsed = true;
    return this.body.buffer.slice(this.body.byteOffset, this.body.byteOffset + this.body.byteLength) as ArrayBuffer;
  }

  clone(): FetcherResponse {
    return new Response(this.url, this.status, this.statusText, {}, this.body);
  }
}

// The gateway's HTTP client for subgraphs: node:http on a keep-alive agent (fetch's streams and per-call objects cost a
// third of the gateway's CPU), a deadline per request, one retry when a reused socket turns out to be closed, and
// errors that name the service ("did not answer within", "is unreachable") for the gateway's error formatter.
export function subgraphFetcher({ service, timeoutMs, idleTimeoutMs = 4_000 }: SubgraphFetcherOptions): SubgraphFetcher {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, timeout: idleTimeoutMs, scheduling: 'lifo' }),
    'https:': new https.Agent({ keepAlive: true, timeout: idleTimeoutMs, scheduling: 'lifo' }),
  };

  const attempt = (url: URL, init: FetcherRequestInit, deadline: number, retried: boolean): Promise<FetcherResponse> =>
    new Promise((resolve, reject) => {
      const client = url.protocol === 'https:' ? https : http;
      let answered = false;
      const request = client.request(
        url,
        { method: init.method ?? 'GET', headers: init.headers, agent: agents[url.protocol as 'http:' | 'https:'] },
        (response) => {
          answered = true;
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            clearTimeout(timer);
            resolve(
              new Response(
                url.href,
                response.statusCode ?? 0,
                response.statusMessage ?? '',
                response.headers,
                chunks.length === 1 ? chunks[0] : Buffer.concat(chunks),
              ),
            );
          });
          response.on('error', fail);
        },
      );
      const timer = setTimeout(() => request.destroy(new TimedOut()), Math.max(0, deadline - Date.now()));
      function fail(error: Error & { code?: string }) {
        clearTimeout(timer);
        if (error instanceof TimedOut) return reject(new Error(`The ${service} service did not answer within ${timeoutMs} ms`));
        if (!answered && !retried && request.reusedSocket && STALE_SOCKET.has(error.code ?? '')) return resolve(attempt(url, init, deadline, true));
        reject(new Error(`The ${service} service is unreachable (${error.code ?? error.message})`));
      }
      request.on('error', fail);
      request.end(init.body);
    });

  return {
    fetch: (url, init = {}) => attempt(new URL(url), init, Date.now() + timeoutMs, false),
    close() {
      for (const agent of Object.values(agents)) agent.destroy();
    },
  };
}
