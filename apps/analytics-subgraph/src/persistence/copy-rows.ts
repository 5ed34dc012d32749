import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';

export type CopyValue = string | number | boolean | null | undefined;

// COPY's text format: tab-separated, \N for null, backslash escapes for the characters that would end a field or row.
const field = (value: CopyValue): string =>
  value === null || value === undefined ? '\\N' : String(value).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

export function copyText(rows: CopyValue[][]): string {
  let text = '';
  for (const row of rows) text += `${row.map(field).join('\t')}\n`;
  return text;
}

// Streams rows into `target` ("table (columns)") with COPY FROM STDIN on the connection of the manager's transaction.
export async function copyRows(manager: EntityManager, target: string, rows: CopyValue[][]): Promise<void> {
  if (rows.length === 0) return;
  const runner = manager.queryRunner;
  if (!runner) throw new Error('copyRows needs a transaction');
  const client = (await runner.connect()) as PoolClient;
  // COPY goes around TypeORM's query(): logged here, so statement counts (QueryCounter) see it.
  manager.connection.logger.logQuery(`COPY ${target} FROM STDIN`, [], runner);
  // Slices of rows, so the text of a large chunk never sits in memory at once.
  const slices = function* () {
    for (let start = 0; start < rows.length; start += 1_000) yield copyText(rows.slice(start, start + 1_000));
  };
  await pipeline(Readable.from(slices()), client.query(copyFrom(`COPY ${target} FROM STDIN`)));
}
