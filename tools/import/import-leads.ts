import fs from 'node:fs';
import { parseArgs } from 'node:util';

import { gatewayOptions, graphql } from '../lib/gateway-client';

// CLI for the lead import: one call with the whole file; the report lists every refused row with its reason.
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { url: { type: 'string' }, token: { type: 'string' }, mode: { type: 'string', default: 'PER_ROW' } },
  });
  const file = positionals[0];
  if (!file) throw new Error('usage: npm run import:leads -- <file.csv> [--mode PER_ROW|ALL_OR_NOTHING] [--url ...] [--token ...]');
  const started = Date.now();
  const report = (
    await graphql(
      await gatewayOptions(values),
      `
        mutation ($input: ImportLeadsInput!) {
          importLeads(input: $input) {
            rowCount
            created
            skipped
            rejected
            errors {
              row
              field
              message
            }
          }
        }
      `,
      {
        input: { csv: fs.readFileSync(file, 'utf8'), mode: values.mode },
      },
    )
  ).importLeads;
  for (const error of report.errors.slice(0, 50)) process.stderr.write(`row ${error.row}${error.field ? ` (${error.field})` : ''}: ${error.message}\n`);
  console.log(JSON.stringify({ ...report, errors: report.errors.length, seconds: (Date.now() - started) / 1000 }));
}

main().catch((error) => {
  console.error((error as Error).message);
  process.exit(1);
});
