import { Writable } from 'node:stream';

import { trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import pino from 'pino';

import { startTracing, traceIds } from './tracing';

describe('tracing', () => {
  it('records nothing when no OTLP endpoint is configured', () => {
    expect(startTracing('lead-subgraph', {})).toBeNull();
  });

  it("puts the active span's trace and span ids on log lines, and nothing outside a span", () => {
    // Arrange
    const provider = new NodeTracerProvider();
    provider.register();
    const lines: string[] = [];
    const logger = pino({ mixin: traceIds }, new Writable({ write: (chunk, _encoding, done) => done(void lines.push(String(chunk))) }));

    // Act
    const ids = trace.getTracer('test').startActiveSpan('work', (span) => {
      logger.info('inside');
      span.end();
      return span.spanContext();
    });
    logger.info('outside');

    // Assert
    const [inside, outside] = lines.map((line) => JSON.parse(line));
    expect([inside.trace_id, inside.span_id]).toEqual([ids.traceId, ids.spanId]);
    expect(outside.trace_id).toBeUndefined();
    return provider.shutdown();
  });
});
