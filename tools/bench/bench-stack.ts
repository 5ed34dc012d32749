import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { ensureKafkaBroker, ensurePostgres, waitUntil } from '@pipeline/dev-infra';
import { adminActor, gatewayClient, mintUserToken, startE2EStack, type E2EStack, type GraphQLCall } from '@pipeline/testing';

export interface BenchStack extends E2EStack {
  admin: GraphQLCall;
  token: string;
  // Waits until every outbox is published and every consumer group has caught up, so a measurement starts quiet.
  waitForQuiet(timeoutMs?: number): Promise<void>;
}

async function pendingOutbox(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT count(*)::int AS count FROM outbox WHERE published_at IS NULL')).rows[0].count;
  } finally {
    await client.end();
  }
}

async function consumerLag(kafka: Kafka, prefix: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const groups = (await admin.listGroups()).groups.map((group) => group.groupId).filter((groupId) => groupId.startsWith(prefix));
    let lag = 0;
    for (const groupId of groups) {
      for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
        const ends = await admin.fetchTopicOffsets(topic);
        for (const { partition, offset } of partitions) {
          const end = Number(ends.find((entry) => entry.partition === partition)?.offset ?? 0);
          lag += Math.max(0, end - Math.max(0, Number(offset)));
        }
      }
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}

// The whole system as it runs in production (five processes, real PostgreSQL and Kafka), in its own namespace.
export async function startBenchStack(label: string, env: NodeJS.ProcessEnv = {}): Promise<BenchStack & { release(): Promise<void> }> {
  const postgres = await ensurePostgres();
  process.env.TEST_DATABASE_URL ??= postgres.url;
  const broker = process.env.KAFKA_BROKERS ? null : await ensureKafkaBroker({ log: (message) => console.error(message) });
  process.env.KAFKA_BROKERS ??= broker?.brokers;
  const stack = await startE2EStack(label, { LOG_LEVEL: 'warn', ...env });
  const token = await mintUserToken(adminActor(), undefined, '12h');
  const kafka = new Kafka({ clientId: 'bench-quiet', brokers: (process.env.KAFKA_BROKERS as string).split(','), logLevel: logLevel.NOTHING });
  return {
    ...stack,
    token,
    admin: gatewayClient(stack.gatewayUrl, token),
    async waitForQuiet(timeoutMs = 600_000) {
      await waitUntil(
        async () => {
          const outboxes = await Promise.all(['lead', 'opportunity', 'deal'].map((service) => pendingOutbox(stack.databaseUrl(service))));
          return outboxes.every((count) => count === 0) && (await consumerLag(kafka, stack.topicPrefix)) === 0;
        },
        timeoutMs,
        'the stack to settle (outboxes published, consumers caught up)',
        500,
      );
    },
    async release() {
      await stack.stop();
      if (broker?.startedHere) await broker.stop();
      await postgres.stop();
    },
  };
}
