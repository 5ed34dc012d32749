import { randomBytes } from 'node:crypto';

import { ensureKafkaBroker, ensurePostgres } from '@pipeline/dev-infra';
import { dropDatabase, ensureDatabase, withDatabase } from '@pipeline/persistence';
import { Kafka, logLevel } from 'kafkajs';

// Jest global setup: make sure PostgreSQL and Kafka are there (reusing what `npm test` started) and tell the workers.
export async function ensureTestInfrastructure(): Promise<void> {
  // One id per Jest run (always new: projects run side by side), so the run's teardown removes only its own topics.
  process.env.TEST_RUN_ID = uniqueSuffix();
  if (!process.env.TEST_DATABASE_URL) {
    const postgres = await ensurePostgres();
    process.env.TEST_DATABASE_URL = postgres.url;
  }
  if (!process.env.KAFKA_BROKERS) {
    const broker = await ensureKafkaBroker({ log: (message) => process.stderr.write(`${message}\n`) });
    process.env.KAFKA_BROKERS = broker.brokers;
  }
}

export const uniqueSuffix = (): string => randomBytes(4).toString('hex');

export function testDatabaseServer(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run tests through Jest (global setup) or npm test');
  return url;
}

export function testKafkaBrokers(): string {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: run tests through Jest (global setup) or npm test');
  return brokers;
}

// A fresh database per test file: tests never see each other's rows.
export async function createTestDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const url = withDatabase(testDatabaseServer(), `t_${label.replace(/[^a-z0-9]/g, '_')}_${uniqueSuffix()}`);
  await ensureDatabase(url);
  return { url, drop: () => dropDatabase(url) };
}

// A fresh topic namespace per test file: consumers and analytics see only their own events.
export const testTopicPrefix = (label: string): string => `${runTopicPrefix()}${label}.${uniqueSuffix()}.`;

const runTopicPrefix = (): string => `test.${process.env.TEST_RUN_ID ?? 'adhoc'}.`;

// Test topics would otherwise pile up on a long-lived developer broker (thousands of partitions slow it down).
export async function deleteTopicsWithPrefix(prefix: string, brokers = testKafkaBrokers()): Promise<number> {
  const admin = new Kafka({ clientId: 'test-cleanup', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    return topics.length;
  } finally {
    await admin.disconnect();
  }
}

// Jest global teardown: the topics of every test file of this run.
export async function cleanUpTestRun(): Promise<void> {
  if (process.env.TEST_RUN_ID && process.env.KAFKA_BROKERS) await deleteTopicsWithPrefix(runTopicPrefix());
}
