import { randomUUID } from 'node:crypto';

import { expectNoErrors, type GraphQLCall } from '@pipeline/testing';
import { Client } from 'pg';

import { type BenchResult, result, timed } from './bench-kit';
import type { BenchStack } from './bench-stack';

// 10,000 CSV rows in one importLeads call through the gateway (validation, duplicate checks, scoring, rule assignment,
// outbox events), against a plain multi-row INSERT of the same rows into a table of the same shape in the same database.
export async function benchLeadImport(stack: BenchStack, rows = 10_000): Promise<BenchResult> {
  const call: GraphQLCall = stack.admin;
  const tag = randomUUID().slice(0, 8);
  const regions = ['DE', 'FR', 'US', 'JP', 'BR'];
  for (let index = 0; index < 20; index += 1) {
    expectNoErrors(
      await call(`mutation($input: CreateSalesRepInput!) { createSalesRep(input: $input) { salesRep { id } } }`, {
        input: {
          name: `Rep ${index}`,
          email: `bench-${tag}-${index}@example.com`,
          role: 'REP',
          teamId: `t${index % 3}`,
          regions: [regions[index % 5]],
          industries: ['Software'],
          capacity: 2_000,
        },
      }),
    );
  }
  const lines = ['name,company,email,source,sourceDetail,estimatedValue,currency,region,industry,externalId'];
  for (let index = 0; index < rows; index += 1) {
    lines.push(
      `Contact ${index},Company ${tag} ${index},contact${index}.${tag}@example.com,REFERRAL,Partner,${1_000 + index},EUR,${regions[index % 5]},Software,${tag}-${index}`,
    );
  }
  const csv = lines.join('\n');
  const imported = await timed(
    async () =>
      expectNoErrors(
        await call<any>(`mutation($input: ImportLeadsInput!) { importLeads(input: $input) { created rejected } }`, { input: { csv, mode: 'ALL_OR_NOTHING' } }),
      ).importLeads,
  );
  if (imported.value.created !== rows) throw new Error(`imported ${imported.value.created} of ${rows}`);

  const client = new Client({ connectionString: stack.databaseUrl('lead') });
  await client.connect();
  try {
    await client.query('CREATE TEMP TABLE baseline_lead (LIKE lead INCLUDING DEFAULTS)');
    const ids = Array.from({ length: rows }, () => randomUUID());
    const baseline = await timed(() =>
      client.query(
        `INSERT INTO baseline_lead (id, name, company, email, source, source_detail, status, computed_score, estimated_value_amount, estimated_value_currency, region, industry, external_id)
         SELECT unnest($1::uuid[]), unnest($2::text[]), unnest($3::text[]), unnest($4::text[]), 'REFERRAL', 'Partner', 'NEW', 50, unnest($5::numeric[]), 'EUR', unnest($6::text[]), 'Software', unnest($7::text[])`,
        [
          ids,
          ids.map((_, i) => `Contact ${i}`),
          ids.map((_, i) => `Company ${i}`),
          ids.map((_, i) => `c${i}@example.com`),
          ids.map((_, i) => 1_000 + i),
          ids.map((_, i) => regions[i % 5]),
          ids.map((_, i) => `b-${i}`),
        ],
      ),
    );
    return result('lead-import', 'rows/s', rows / imported.seconds, 'plain INSERT of the same rows', rows / baseline.seconds, {
      rows,
      importSeconds: imported.seconds.toFixed(2),
      baselineSeconds: baseline.seconds.toFixed(3),
      eventsWritten: rows * 2,
      csvBytes: Buffer.byteLength(csv),
    });
  } finally {
    await client.end();
  }
}
