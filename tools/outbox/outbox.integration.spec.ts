import { randomUUID } from 'node:crypto';

import { createDataSource, initializeDataSource, MESSAGING_MIGRATIONS } from '@pipeline/persistence';
import { createTestDatabase } from '@pipeline/testing';
import type { DataSource } from 'typeorm';

import { runOutboxCommand } from './outbox';

describe('npm run outbox', () => {
  let database: { url: string; drop(): Promise<void> };
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('outbox_tool');
    dataSource = await initializeDataSource(
      createDataSource({ url: database.url, entities: [], migrations: MESSAGING_MIGRATIONS, applicationName: 'outbox-tool-test' }),
    );
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  async function parkedRow(aggregate: string): Promise<string> {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload, refusals, last_error, parked_at) VALUES ($1, 'rep', $2, 'sales.rep.updated.v1', 'sales.rep-events.v1', '{}', 5, 'too large', now())`,
      [id, aggregate],
    );
    return id;
  }

  it('lists parked rows with their reason, retries them, and drops one with a reason', async () => {
    // Arrange
    const first = await parkedRow('a');
    const second = await parkedRow('b');
    const lines: string[] = [];
    const run = (...args: string[]) => runOutboxCommand(dataSource, args, (line) => lines.push(line));

    // Act
    const listed = await run('list');
    const retried = await run('retry', first);
    const dropped = await run('drop', second, '--reason', 'oversized, re-sent by hand');
    const droppedAgain = await run('drop', second, '--reason', 'again');
    const usage = await run('drop', second);
    const rows = await dataSource.query('SELECT id, parked_at IS NULL AS unparked, refusals, discard_reason FROM outbox ORDER BY seq');

    // Assert
    expect([listed, retried, dropped, droppedAgain, usage]).toEqual([0, 0, 0, 1, 2]);
    expect(lines.filter((line) => line.includes(first) && line.includes('refused 5x'))).toHaveLength(1);
    expect(lines).toContain('1 row(s) handed back to the relay');
    expect(rows).toEqual([
      { id: first, unparked: true, refusals: 0, discard_reason: null },
      { id: second, unparked: false, refusals: 5, discard_reason: 'oversized, re-sent by hand' },
    ]);
  });
});
