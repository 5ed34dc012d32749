import { createRequire } from 'node:module';

import { trace } from '@opentelemetry/api';
import type * as OtlpHttp from '@opentelemetry/exporter-trace-otlp-http';
import type * as Instrumentation from '@opentelemetry/instrumentation';
import type * as InstrumentationHttp from '@opentelemetry/instrumentation-http';
import type * as InstrumentationPg from '@opentelemetry/instrumentation-pg';
import type * as InstrumentationUndici from '@opentelemetry/instrumentation-undici';
import type * as Resources from '@opentelemetry/resources';
import type * as SdkTraceNode from '@opentelemetry/sdk-trace-node';

// Traces leave the process only when an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTLP over HTTP/JSON); without one nothing is recorded. Called before the service
// opens its pool and server: HTTP in and out (W3C traceparent), native fetch and SQL statements become spans.
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): { shutdown(): Promise<void> } | null {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return null;
  // The SDK is loaded only here: with tracing off (the default) its modules cost every service ~10 MB of memory for nothing.
  const load = createRequire(__filename);
  const { OTLPTraceExporter } = load('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpHttp;
  const { registerInstrumentations } = load('@opentelemetry/instrumentation') as typeof Instrumentation;
  const { HttpInstrumentation } = load('@opentelemetry/instrumentation-http') as typeof InstrumentationHttp;
  const { PgInstrumentation } = load('@opentelemetry/instrumentation-pg') as typeof InstrumentationPg;
  const { UndiciInstrumentation } = load('@opentelemetry/instrumentation-undici') as typeof InstrumentationUndici;
  const { Resource } = load('@opentelemetry/resources') as typeof Resources;
  const { BatchSpanProcessor, NodeTracerProvider } = load('@opentelemetry/sdk-trace-node') as typeof SdkTraceNode;
  const provider = new NodeTracerProvider({
    resource: new Resource({ 'service.name': env.OTEL_SERVICE_NAME ?? serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // Probes and metrics scrapes would be most of the traces and say nothing.
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => /^\/(health|metrics)/.test(request.url ?? ''),
        // A request that already carries a traceparent has its own CLIENT span (the gateway's subgraph fetcher).
        ignoreOutgoingRequestHook: (request) => request.headers !== undefined && 'traceparent' in request.headers,
      }),
      new UndiciInstrumentation(),
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
    ],
  });
  // Core modules are patched when next required: the service's imports loaded node:http before this call, so ask again.
  for (const core of ['node:http', 'node:https']) load(core);
  return { shutdown: () => provider.shutdown() };
}

// For log lines: the ids of the span active where the line is written, so logs and traces join.
export function traceIds(): { trace_id: string; span_id: string } | Record<string, never> {
  const context = trace.getActiveSpan()?.spanContext();
  return context && trace.isSpanContextValid(context) ? { trace_id: context.traceId, span_id: context.spanId } : {};
}
