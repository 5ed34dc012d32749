import path from 'node:path';

import { canListen, type RunningStack, startStack, waitForQuiet, workspaceRoot } from '@pipeline/dev-infra';
import { dropDatabase, withDatabase } from '@pipeline/persistence';
import { LOCAL_INTERNAL_SECRET } from '@pipeline/server-kit';
import { deleteTopicsWithPrefix, testDatabaseServer, testKafkaBrokers, uniqueSuffix } from '@pipeline/test-infra';

import { TEST_JWT_SECRET } from './graphql-client';

// Six free ports in a row (gateway + five subgraphs), so an end-to-end stack can run beside a developer's own.
export async function freePortOffset(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const offset = 1000 + Math.floor(Math.random() * 400) * 10;
    const checks = await Promise.all([0, 1, 2, 3, 4, 5].map((index) => canListen(4000 + offset + index)));
    if (checks.every(Boolean)) return offset;
  }
  throw new Error('No six free ports in a row for the end-to-end stack');
}

export interface E2EStack {
  stack: RunningStack;
  gatewayUrl: string;
  databasePrefix: string;
  topicPrefix: string;
  databaseUrl(service: string): string;
  waitForQuiet(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

// The whole system as production runs it: six processes, their own databases, a real broker, through the gateway.
export async function startE2EStack(label: string, env: NodeJS.ProcessEnv = {}): Promise<E2EStack> {
  const suffix = uniqueSuffix();
  const databasePrefix = `e2e_${label}_${suffix}`;
  const topicPrefix = `e2e.${label}.${suffix}.`;
  const server = testDatabaseServer();
  const databaseUrl = (service: string) => withDatabase(server, `${databasePrefix}_${service}`);
  const dropDatabases = () =>
    Promise.all(['lead', 'opportunity', 'deal', 'analytics', 'engagement'].map((service) => dropDatabase(databaseUrl(service)).catch(() => undefined)));
  const stack = await startStack({
    databaseUrl: server,
    kafkaBrokers: testKafkaBrokers(),
    databasePrefix,
    topicPrefix,
    portOffset: await freePortOffset(),
    jwtSecret: TEST_JWT_SECRET,
    internalSecret: LOCAL_INTERNAL_SECRET,
    // The logs go to files, so they keep start-up and warnings: a failed run can be read afterwards.
    env: { LOG_LEVEL: 'info', KAFKA_LOG_LEVEL: 'warn', ...env },
    output: { logDir: path.join(workspaceRoot(), '.local', 'logs', databasePrefix) },
  }).catch(async (error: unknown) => {
    await dropDatabases();
    throw error;
  });
  return {
    stack,
    gatewayUrl: stack.gatewayUrl,
    databasePrefix,
    topicPrefix,
    databaseUrl,
    waitForQuiet: (timeoutMs) =>
      waitForQuiet({ databaseUrls: ['lead', 'opportunity', 'deal', 'engagement'].map(databaseUrl), brokers: testKafkaBrokers(), topicPrefix, timeoutMs }),
    async stop() {
      await stack.stop();
      await dropDatabases();
      await deleteTopicsWithPrefix(topicPrefix).catch(() => undefined);
    },
  };
}
