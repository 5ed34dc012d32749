import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { ApolloServerPlugin } from '@apollo/server';

export interface ServiceMetrics {
  registry: Registry;
  operations: Counter<'operation' | 'outcome'>;
  duration: Histogram<'operation'>;
}

export function createMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const operations = new Counter({ name: 'graphql_operations_total', help: 'GraphQL operations by name and outcome', labelNames: ['operation', 'outcome'] as const, registers: [registry] });
  const duration = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'GraphQL operation duration',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return { registry, operations, duration };
}

export function metricsPlugin(metrics: ServiceMetrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const stopTimer = metrics.duration.startTimer();
      return {
        async willSendResponse({ operationName, errors }) {
          const operation = operationName ?? 'anonymous';
          stopTimer({ operation });
          metrics.operations.inc({ operation, outcome: errors && errors.length > 0 ? 'error' : 'ok' });
        },
      };
    },
  };
}
