import type { Actor } from '@pipeline/domain';
import { createLogger, LOCAL_INTERNAL_SECRET, type RunningService, type ServiceDefinition, startService } from '@pipeline/server-kit';
import { createTestDatabase, testKafkaBrokers, testTopicPrefix } from '@pipeline/test-infra';
import type { Logger as TypeOrmLogger } from 'typeorm';

import { type GraphQLCall, subgraphClient } from './graphql-client';

export interface TestService {
  service: RunningService;
  databaseUrl: string;
  topicPrefix: string;
  as(actor: Actor | null): GraphQLCall;
  stop(): Promise<void>;
}

// Starts one subgraph in-process against a fresh database and topic namespace (real PostgreSQL, real Kafka).
export async function startTestService(
  label: string,
  definition: ServiceDefinition,
  options: { topicPrefix?: string; sqlLogger?: TypeOrmLogger; statementTimeoutMs?: number } = {},
): Promise<TestService> {
  const database = await createTestDatabase(label);
  const topicPrefix = options.topicPrefix ?? testTopicPrefix(label);
  const config = {
    port: 0,
    databaseUrl: database.url,
    kafka: { brokers: testKafkaBrokers().split(','), clientId: `test-${label}`, topicPrefix, logLevel: 'nothing' as const },
    internalSecret: LOCAL_INTERNAL_SECRET,
    production: false,
    statementTimeoutMs: options.statementTimeoutMs,
  };
  const service = await startService(definition, config, createLogger(label, process.env.TEST_LOG_LEVEL ?? 'silent'), options.sqlLogger);
  return {
    service,
    databaseUrl: database.url,
    topicPrefix,
    as: (actor) => subgraphClient(service.url, actor),
    async stop() {
      await service.stop();
      await database.drop();
    },
  };
}
