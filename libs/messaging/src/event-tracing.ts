import { type Context, context, type Link, propagation, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { CloudEvent } from '@pipeline/events';
import type { IHeaders } from 'kafkajs';

const tracer = trace.getTracer('@pipeline/messaging');

type TraceCarrier = Pick<CloudEvent, 'traceparent' | 'tracestate'>;

const headerText = (value: IHeaders[string]): string | undefined => {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
};

// The context an event was produced in: the relay's producer span (Kafka header) when it was traced, else the
// use case that wrote it (the event's own traceparent). Undefined when the event carries none, so untraced work stays free.
export function producedContext(event: TraceCarrier, headers?: IHeaders): Context | undefined {
  const header = headers?.traceparent === undefined ? undefined : headerText(headers.traceparent);
  const carrier = header ? { traceparent: header, tracestate: headers?.tracestate === undefined ? undefined : headerText(headers.tracestate) } : event;
  if (!carrier.traceparent) return undefined;
  const extracted = propagation.extract(ROOT_CONTEXT, carrier);
  return trace.getSpanContext(extracted) ? extracted : undefined;
}

// A producer span per traced outbox record, child of the use case that wrote it; its context goes out as Kafka headers
// (traceparent, tracestate) for consumers and tools. Records without a traceparent get no span and no headers.
export function startProducerSpan(event: TraceCarrier, topic: string): { span: Span; headers: Record<string, string> } | null {
  const parent = producedContext(event);
  if (!parent) return null;
  const span = tracer.startSpan(
    `${topic} publish`,
    { kind: SpanKind.PRODUCER, attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.operation.type': 'publish' } },
    parent,
  );
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), headers);
  return { span, headers };
}

// Runs a chunk's transaction in one consumer span: its parent is the first traced event's producer context, the other
// traced events are links. Without any traced event the work runs as is.
export async function withConsumerSpan<T>(topic: string, events: Array<{ event: TraceCarrier; headers?: IHeaders }>, work: () => Promise<T>): Promise<T> {
  const contexts = events.map(({ event, headers }) => producedContext(event, headers)).filter((found): found is Context => found !== undefined);
  if (contexts.length === 0) return work();
  const [parent, ...others] = contexts;
  const links: Link[] = others.flatMap((other) => {
    const linked = trace.getSpanContext(other);
    return linked ? [{ context: linked }] : [];
  });
  const span = tracer.startSpan(
    `${topic} process`,
    {
      kind: SpanKind.CONSUMER,
      links,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.source.name': topic,
        'messaging.operation.type': 'process',
        'messaging.batch.message_count': events.length,
      },
    },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), work);
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}
