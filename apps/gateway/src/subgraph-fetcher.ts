import http from 'node:http';
import https from 'node:https';

import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { context, propagation, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

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

// A connection closed after the request may have gone out, before any byte of the answer arrived, shows up as one of these.
const CLOSED_UNANSWERED = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

// Apollo sends `{"query":"<operation>",…}`; only a query provably writes nothing, anything else (a mutation, another
// body shape) may have been carried out by a subgraph that closed the connection without answering.
const isReadOnly = (body: unknown): boolean => typeof body === 'string' && (body.startsWith('{"query":"query') || body.startsWith('{"query":"{'));

const tracer = trace.getTracer('@pipeline/gateway');

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
// third of the gateway's CPU), a deadline per request, and errors that name the service for the gateway's error
// formatter: "did not answer within", "is unreachable", or "closed the connection before answering" when a request
// that may write was sent and no whole answer came (its outcome is unknown). A query whose reused socket turns out to be
// closed is sent once more; a mutation never is. Each call is a CLIENT span carrying the W3C traceparent, started here
// rather than by the http instrumentation, which misses node:http when it is loaded before tracing starts.
export function subgraphFetcher({ service, timeoutMs, idleTimeoutMs = 4_000 }: SubgraphFetcherOptions): SubgraphFetcher {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, timeout: idleTimeoutMs, scheduling: 'lifo' }),
    'https:': new https.Agent({ keepAlive: true, timeout: idleTimeoutMs, scheduling: 'lifo' }),
  };

  const attempt = (
    url: URL,
    init: FetcherRequestInit,
    headers: FetcherRequestInit['headers'],
    deadline: number,
    span: Span,
    retried: boolean,
  ): Promise<FetcherResponse> =>
    new Promise((resolve, reject) => {
      const client = url.protocol === 'https:' ? https : http;
      let answered = false;
      const request = client.request(url, { method: init.method ?? 'GET', headers, agent: agents[url.protocol as 'http:' | 'https:'] }, (response) => {
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
      });
      const timer = setTimeout(() => request.destroy(new TimedOut()), Math.max(0, deadline - Date.now()));
      function fail(error: Error & { code?: string }) {
        clearTimeout(timer);
        if (error instanceof TimedOut) return reject(new Error(`The ${service} service did not answer within ${timeoutMs} ms`));
        const closed = CLOSED_UNANSWERED.has(error.code ?? '');
        if (!isReadOnly(init.body) && (answered || closed)) {
          return reject(new Error(`The ${service} service closed the connection before answering (${error.code ?? error.message})`));
        }
        if (closed && !answered && !retried && request.reusedSocket) {
          if (span.isRecording()) span.setAttribute('http.request.resend_count', 1);
          return resolve(attempt(url, init, headers, deadline, span, true));
        }
        reject(new Error(`The ${service} service is unreachable (${error.code ?? error.message})`));
      }
      request.on('error', fail);
      request.end(init.body);
    });

  const traced = (url: URL, init: FetcherRequestInit): Promise<FetcherResponse> => {
    const method = init.method ?? 'GET';
    const parent = context.active();
    const span = tracer.startSpan(method, { kind: SpanKind.CLIENT }, parent);
    // Without a tracer provider the span is a no-op with no valid context: nothing to record or propagate.
    if (!trace.isSpanContextValid(span.spanContext())) return attempt(url, init, init.headers, Date.now() + timeoutMs, span, false);
    if (span.isRecording()) {
      span.setAttributes({
        'http.request.method': method,
        'url.full': url.href,
        'server.address': url.hostname,
        'server.port': Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
      });
    }
    const headers: Record<string, string> = { ...init.headers };
    propagation.inject(trace.setSpan(parent, span), headers);
    return attempt(url, init, headers, Date.now() + timeoutMs, span, false).then(
      (response) => {
        span.setAttribute('http.response.status_code', response.status);
        if (response.status >= 400) {
          span.setAttribute('error.type', String(response.status));
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        span.end();
        return response;
      },
      (error: Error) => {
        span.recordException(error);
        span.setAttribute('error.type', 'Error');
        span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
        span.end();
        throw error;
      },
    );
  };

  return {
    fetch: (url, init = {}) => traced(new URL(url), init),
    close() {
      for (const agent of Object.values(agents)) agent.destroy();
    },
  };
}
