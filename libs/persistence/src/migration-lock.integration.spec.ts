import { randomBytes } from 'node:crypto';

import { Client } from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';

import { createDataSource, initializeDataSource, MIGRATION_LOCK } from './data-source';
import { dropDatabase, ensureDatabase, withDatabase } from './database-admin';

// Counts its own runs; the pause keeps it running while the other replica reaches the migrations.
class CreateRunLog1700000000001 implements MigrationInterface {
  name = 'CreateRunLog1700000000001';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE TABLE IF NOT EXISTS migration_run (name text NOT NULL, at timestamptz NOT NULL DEFAULT now())');
    await runner.query(`INSERT INTO migration_run (name) VALUES ('create-run-log')`);
    await runner.query('SELECT pg_sleep(0.3)');
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE migration_run');
  }
}

class AddWidget1700000000002 implements MigrationInterface {
  name = 'AddWidget1700000000002';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE TABLE widget (id int PRIMARY KEY)');
    await runner.query(`INSERT INTO migration_run (name) VALUES ('add-widget')`);
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE widget');
  }
}

describe('migrations with several replicas', () => {
  const url = withDatabase(process.env.TEST_DATABASE_URL ?? '', `t_migration_lock_${randomBytes(4).toString('hex')}`);
  const replica = (name: string) =>
    createDataSource({ url, entities: [], migrations: [CreateRunLog1700000000001, AddWidget1700000000002], applicationName: name, poolSize: 2 });

  afterAll(async () => {
    await dropDatabase(url);
  });

  it('two instances starting at once against a fresh database both come up, and each migration runs once', async () => {
    // Arrange
    const [first, second] = [replica('replica-a'), replica('replica-b')];

    // Act
    await Promise.all([ensureDatabase(url), ensureDatabase(url)]);
    const started = await Promise.allSettled([initializeDataSource(first), initializeDataSource(second)]);

    // Assert
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      expect(started.map((result) => (result.status === 'rejected' ? String(result.reason) : 'up'))).toEqual(['up', 'up']);
      expect((await client.query('SELECT name FROM migration_run ORDER BY at, name')).rows.map((row) => row.name)).toEqual(['create-run-log', 'add-widget']);
      expect((await client.query('SELECT name FROM schema_migrations ORDER BY id')).rows.map((row) => row.name)).toEqual([
        'CreateRunLog1700000000001',
        'AddWidget1700000000002',
      ]);
      // The lock is given back: nothing is left holding it once both are up.
      expect(
        (
          await client.query(
            `SELECT count(*)::int AS held FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
            [MIGRATION_LOCK],
          )
        ).rows[0].held,
      ).toBe(0);
    } finally {
      await client.end();
      await Promise.all([first.destroy(), second.destroy()]);
    }
  });
});
