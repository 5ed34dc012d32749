import { kafkaSettingsFromEnv } from '@pipeline/messaging';
import { DEFAULT_STATEMENT_TIMEOUT_MS } from '@pipeline/persistence';

import { envInt, envSecret, isProduction, LOCAL_INTERNAL_SECRET, serviceDatabaseUrl } from './config';
import type { ServiceConfig } from './service-runtime';

// Everything a subgraph needs from its environment, with local defaults that production refuses for secrets.
export function serviceConfigFromEnv(service: string, defaultPort: number, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  return {
    port: envInt('PORT', defaultPort, env),
    databaseUrl: serviceDatabaseUrl(service, env),
    kafka: kafkaSettingsFromEnv(`${service}-subgraph`, env),
    internalSecret: envSecret('INTERNAL_AUTH_SECRET', LOCAL_INTERNAL_SECRET, env),
    production: isProduction(env),
    statementTimeoutMs: envInt('DATABASE_STATEMENT_TIMEOUT_MS', DEFAULT_STATEMENT_TIMEOUT_MS, env),
    // Long enough for Kubernetes to see the failing readiness probe (period 5 s) and take the pod out of the Service.
    shutdownDrainMs: envInt('SHUTDOWN_DRAIN_MS', isProduction(env) ? 10_000 : 0, env),
  };
}
