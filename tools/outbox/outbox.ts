import { parseArgs } from 'node:util';

import { createDataSource, discardParkedOutboxRow, listParkedOutboxRows, retryParkedOutboxRows } from '@pipeline/persistence';
import { serviceDatabaseUrl } from '@pipeline/server-kit';
import type { DataSource } from 'typeorm';

const SERVICES = ['lead', 'opportunity', 'deal', 'analytics', 'engagement'];
const USAGE = `usage: npm run outbox -- --service <${SERVICES.join('|')}> list
       npm run outbox -- --service <name> retry <event id>... | --all
       npm run outbox -- --service <name> drop <event id> --reason "<why>"`;

// Outbox rows the broker refused for good are parked (metrics: outbox_parked_rows; /health/ready details): an
// operator lists them, retries them once the cause is fixed, or drops one so the rows held behind it flow.
export async function runOutboxCommand(dataSource: DataSource, args: string[], print: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { all: { type: 'boolean', default: false }, reason: { type: 'string' }, service: { type: 'string' } },
  });
  const [command, ...ids] = positionals;
  if (command === 'list') {
    const rows = await listParkedOutboxRows(dataSource);
    if (rows.length === 0) print('no parked outbox rows');
    for (const row of rows) {
      print(
        `${row.id}  ${row.type} on ${row.topic}, aggregate ${row.aggregateId}, ${row.payloadBytes} bytes, refused ${row.refusals}x, parked ${new Date(row.parkedAt).toISOString()}, ${row.heldBehind} held behind it`,
      );
      print(`    ${row.lastError ?? ''}`);
    }
    return 0;
  }
  if (command === 'retry' && (values.all || ids.length > 0)) {
    print(`${await retryParkedOutboxRows(dataSource, values.all ? 'all' : ids)} row(s) handed back to the relay`);
    return 0;
  }
  if (command === 'drop' && ids.length === 1 && values.reason) {
    const dropped = await discardParkedOutboxRow(dataSource, ids[0], values.reason);
    print(dropped ? `dropped ${ids[0]}; the rows held behind it flow again` : `${ids[0]} is not a parked outbox row`);
    return dropped ? 0 : 1;
  }
  print(USAGE);
  return 2;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const { values } = parseArgs({ args, allowPositionals: true, strict: false });
  const service = String(values.service ?? '');
  if (!SERVICES.includes(service)) {
    console.error(USAGE);
    process.exit(2);
  }
  const dataSource = await createDataSource({ url: serviceDatabaseUrl(service), entities: [], migrations: [], applicationName: 'outbox-tool' }).initialize();
  try {
    process.exitCode = await runOutboxCommand(dataSource, args, console.log);
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error((error as Error).message);
    process.exit(1);
  });
}
