import { execFileSync } from 'node:child_process';

import { ensureKafkaBroker, ensurePostgres, GATEWAY, SUBGRAPHS, workspaceRoot } from '@pipeline/dev-infra';
import { adminActor, type E2EStack, gatewayClient, type GraphQLCall, mintUserToken, startE2EStack } from '@pipeline/testing';

export interface BenchStack extends E2EStack {
  admin: GraphQLCall;
  token: string;
}

// The whole system as it runs in production (five processes from their production bundles, real PostgreSQL and
// Kafka), in its own namespace. `nx build` first: its cache makes that a no-op when nothing changed.
export async function startBenchStack(label: string, env: NodeJS.ProcessEnv = {}): Promise<BenchStack & { release(): Promise<void> }> {
  execFileSync('npx', ['nx', 'run-many', '-t', 'build', `--projects=${[...SUBGRAPHS, GATEWAY].map((spec) => spec.app).join(',')}`], {
    cwd: workspaceRoot(),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.env.PIPELINE_SERVICES_FROM = 'bundles';
  const postgres = await ensurePostgres();
  process.env.TEST_DATABASE_URL ??= postgres.url;
  const broker = process.env.KAFKA_BROKERS ? null : await ensureKafkaBroker({ log: (message) => console.error(message) });
  process.env.KAFKA_BROKERS ??= broker?.brokers;
  const stack = await startE2EStack(label, { LOG_LEVEL: 'warn', ...env });
  const token = await mintUserToken(adminActor(), undefined, '12h');
  return {
    ...stack,
    token,
    admin: gatewayClient(stack.gatewayUrl, token),
    async release() {
      await stack.stop();
      if (broker?.startedHere) await broker.stop();
      await postgres.stop();
    },
  };
}
