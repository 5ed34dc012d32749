import { randomBytes } from 'node:crypto';
import { ensureKafkaBroker, ensurePostgres } from '@pipeline/dev-infra';
import { dropDatabase, ensureDatabase, withDatabase } from '@pipeline/persistence';

// Jest global setup: make sure PostgreSQL and Kafka are there (reusing what `npm test` started) and tell the workers.
export async function ensureTestInfrastructure(): Promise<void> {
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
export const testTopicPrefix = (label: string): string => `test.${label}.${uniqueSuffix()}.`;
