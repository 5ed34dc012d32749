import type { ApolloServerPlugin } from '@apollo/server';
import { Kind } from 'graphql';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface ServiceMetrics {
  registry: Registry;
  operations: Counter<'operation' | 'outcome'>;
  duration: Histogram<'operation'>;
}

export function createMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const operations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations by name and outcome',
    labelNames: ['operation', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'GraphQL operation duration',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return { registry, operations, duration };
}

// Labels name the operation type and its first root field, both from the schema: a client-chosen operation name
// would let any caller create unbounded time series.
export function metricsPlugin(metrics: ServiceMetrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const stopTimer = metrics.duration.startTimer();
      let operation = 'invalid';
      return {
        async didResolveOperation({ operation: definition }) {
          if (!definition) return;
          const root = definition.selectionSet.selections.find((selection) => selection.kind === Kind.FIELD);
          operation = `${definition.operation} ${root?.kind === Kind.FIELD ? root.name.value : 'fragment'}`;
        },
        async willSendResponse({ errors }) {
          stopTimer({ operation });
          metrics.operations.inc({ operation, outcome: errors && errors.length > 0 ? 'error' : 'ok' });
        },
      };
    },
  };
}
