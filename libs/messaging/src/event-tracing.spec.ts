import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';

import { producedContext, startProducerSpan, withConsumerSpan } from './event-tracing';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();
const tracer = trace.getTracer('spec');

// The W3C traceparent of a span started here, as a use case's context would be written into an event.
function useCaseTraceparent(): { traceparent: string; spanId: string; traceId: string } {
  const span = tracer.startSpan('use case');
  span.end();
  const carrier: { traceparent?: string } = {};
  propagation.inject(trace.setSpan(context.active(), span), carrier);
  return { traceparent: carrier.traceparent as string, spanId: span.spanContext().spanId, traceId: span.spanContext().traceId };
}

describe('event tracing', () => {
  beforeEach(() => exporter.reset());
  afterAll(() => provider.shutdown());

  it('takes the producer context from the Kafka header before the event attribute, and none from an untraced event', () => {
    // Arrange
    const written = useCaseTraceparent();
    const published = useCaseTraceparent();

    // Act
    const fromHeader = producedContext({ traceparent: written.traceparent }, { traceparent: Buffer.from(published.traceparent) });
    const fromEvent = producedContext({ traceparent: written.traceparent }, {});
    const untraced = producedContext({}, {});
    const malformed = producedContext({ traceparent: 'not-a-traceparent' });

    // Assert
    expect((fromHeader && trace.getSpanContext(fromHeader))?.spanId).toBe(published.spanId);
    expect((fromEvent && trace.getSpanContext(fromEvent))?.spanId).toBe(written.spanId);
    expect(untraced).toBeUndefined();
    expect(malformed).toBeUndefined();
  });

  it('starts a producer span as a child of the event and sends its own context as headers', () => {
    // Arrange
    const written = useCaseTraceparent();

    // Act
    const traced = startProducerSpan({ traceparent: written.traceparent }, 'p.sales.lead-events.v1');
    traced?.span.end();
    const untraced = startProducerSpan({}, 'p.sales.lead-events.v1');

    // Assert
    const [span] = exporter.getFinishedSpans().filter((finished) => finished.name.endsWith('publish'));
    expect(span.spanContext().traceId).toBe(written.traceId);
    expect(span.parentSpanId).toBe(written.spanId);
    expect(traced?.headers.traceparent).toBe(`00-${written.traceId}-${span.spanContext().spanId}-01`);
    expect(untraced).toBeNull();
  });

  it('runs a chunk inside one consumer span: parent from the first traced event, links to the others', async () => {
    // Arrange
    const first = useCaseTraceparent();
    const second = useCaseTraceparent();

    // Act
    const activeInside = await withConsumerSpan(
      'p.sales.lead-events.v1',
      [{ event: {} }, { event: { traceparent: first.traceparent } }, { event: { traceparent: second.traceparent } }],
      async () => trace.getActiveSpan()?.spanContext().spanId,
    );

    // Assert
    const [span] = exporter.getFinishedSpans().filter((finished) => finished.name.endsWith('process'));
    expect(activeInside).toBe(span.spanContext().spanId);
    expect(span.parentSpanId).toBe(first.spanId);
    expect(span.spanContext().traceId).toBe(first.traceId);
    expect(span.links.map((link) => link.context.spanId)).toEqual([second.spanId]);
  });

  it('records no span for a chunk without traced events', async () => {
    // Act
    const activeInside = await withConsumerSpan('p.sales.lead-events.v1', [{ event: {} }], async () => trace.getActiveSpan());

    // Assert
    expect(activeInside).toBeUndefined();
    expect(exporter.getFinishedSpans().filter((finished) => finished.name.endsWith('process'))).toHaveLength(0);
  });
});
