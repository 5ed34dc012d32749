import fs from 'node:fs';
import { parseArgs } from 'node:util';

import { parse } from 'csv-parse/sync';

import { type GatewayOptions, gatewayOptions, graphql } from '../lib/gateway-client';

// Imports historical opportunities (CSV: opportunity_id, sales_agent, product, account, deal_stage, engage_date,
// close_date, close_value — the shape of common CRM exports) through the opportunity subgraph's import path, so stage
// keeps one writer and every change goes through the same gates and onto the stage stream with its original time.
export interface OpportunityRow {
  opportunity_id: string;
  sales_agent: string;
  product: string;
  account: string;
  deal_stage: string;
  engage_date: string;
  close_date: string;
  close_value: string;
}

// List prices used when a row has no close value (open and lost deals); override with --prices file.json.
export const DEFAULT_PRICES: Record<string, string> = {
  'GTX Basic': '550',
  'GTX Pro': '4821',
  'MG Special': '55',
  'MG Advanced': '3393',
  'GTX Plus Basic': '1096',
  'GTX Plus Pro': '5482',
  'GTK 500': '26768',
};

interface Options {
  currency: string;
  asOf: string;
  prices: Record<string, string>;
  team: string;
  batchSize: number;
}

const emailOf = (agent: string) =>
  `${agent
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.|\.$/g, '')}@import.local`;
const at = (date: string) => `${date}T12:00:00Z`;

export function toImportRecord(row: OpportunityRow, ownerId: string | null, options: Options) {
  const stage = row.deal_stage.trim().toLowerCase();
  const value = row.close_value && Number(row.close_value) > 0 ? row.close_value : options.prices[row.product];
  const createdAt = at(row.engage_date || options.asOf);
  const stages = [{ toStage: 'QUALIFICATION', changedAt: createdAt }];
  if (stage === 'won') stages.push({ toStage: 'CLOSED_WON', changedAt: at(row.close_date) });
  if (stage === 'lost') stages.push({ toStage: 'CLOSED_LOST', changedAt: at(row.close_date) });
  return {
    externalId: row.opportunity_id,
    // Early-stage rows of real exports name no account: the opportunity is then named after the product alone.
    name: row.account ? `${row.account} – ${row.product}` : row.product,
    accountName: row.account ?? '',
    amount: value ? { amount: value, currency: options.currency } : null,
    ownerId,
    expectedCloseDate: row.close_date || null,
    createdAt,
    stages,
    lostReason: stage === 'lost' ? 'OTHER' : null,
  };
}

async function ensureReps(gateway: GatewayOptions, agents: string[], team: string): Promise<Map<string, string>> {
  const existing = (await graphql(gateway, '{ salesReps { id email } }')).salesReps as Array<{ id: string; email: string }>;
  const byEmail = new Map(existing.map((rep) => [rep.email.toLowerCase(), rep.id]));
  const result = new Map<string, string>();
  for (const agent of agents) {
    const email = emailOf(agent);
    let id = byEmail.get(email);
    if (!id) {
      const created = await graphql(
        gateway,
        `
          mutation ($input: CreateSalesRepInput!) {
            createSalesRep(input: $input) {
              salesRep {
                id
              }
            }
          }
        `,
        {
          input: { name: agent, email, role: 'REP', teamId: team, regions: [], industries: [], capacity: 100 },
        },
      );
      id = created.createSalesRep.salesRep.id as string;
    }
    result.set(agent, id);
  }
  return result;
}

export async function importOpportunities(gateway: GatewayOptions, csv: string, options: Options, progress: (message: string) => void) {
  const rows: OpportunityRow[] = parse(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  const owners = await ensureReps(gateway, [...new Set(rows.map((row) => row.sales_agent).filter(Boolean))], options.team);
  const totals = { created: 0, skipped: 0, errors: [] as Array<{ index: number; externalId: string | null; message: string }> };
  for (let start = 0; start < rows.length; start += options.batchSize) {
    const batch = rows.slice(start, start + options.batchSize);
    const result = (
      await graphql(
        gateway,
        `
          mutation ($input: ImportOpportunitiesInput!) {
            importOpportunities(input: $input) {
              created
              skipped
              errors {
                index
                externalId
                message
              }
            }
          }
        `,
        {
          input: { opportunities: batch.map((row) => toImportRecord(row, owners.get(row.sales_agent) ?? null, options)) },
        },
      )
    ).importOpportunities;
    totals.created += result.created;
    totals.skipped += result.skipped;
    totals.errors.push(
      ...result.errors.map((error: { index: number; externalId: string | null; message: string }) => ({ ...error, index: error.index + start })),
    );
    const done = Math.min(start + options.batchSize, rows.length);
    progress(
      `imported ${done}/${rows.length} rows (${Math.round((done / rows.length) * 100)}%): ${totals.created} created, ${totals.skipped} already there, ${totals.errors.length} refused`,
    );
  }
  return { rows: rows.length, ...totals };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      currency: { type: 'string', default: 'USD' },
      'as-of': { type: 'string', default: new Date().toISOString().slice(0, 10) },
      prices: { type: 'string' },
      team: { type: 'string', default: 'imported' },
      'batch-size': { type: 'string', default: '200' },
    },
  });
  const file = positionals[0];
  if (!file) throw new Error('usage: npm run import:opportunities -- <file.csv> [--url http://127.0.0.1:4000/graphql] [--currency USD] [--as-of YYYY-MM-DD]');
  const gateway = await gatewayOptions(values);
  const started = Date.now();
  const summary = await importOpportunities(
    gateway,
    fs.readFileSync(file, 'utf8'),
    {
      currency: values.currency ?? 'USD',
      asOf: values['as-of'] ?? new Date().toISOString().slice(0, 10),
      prices: values.prices ? JSON.parse(fs.readFileSync(values.prices, 'utf8')) : DEFAULT_PRICES,
      team: values.team ?? 'imported',
      batchSize: Number(values['batch-size'] ?? 200),
    },
    (message) => process.stderr.write(`${message}\n`),
  );
  for (const error of summary.errors.slice(0, 20)) process.stderr.write(`row ${error.index + 1} (${error.externalId}): ${error.message}\n`);
  console.log(JSON.stringify({ ...summary, errors: summary.errors.length, seconds: (Date.now() - started) / 1000 }));
}

if (require.main === module) {
  main().catch((error) => {
    console.error((error as Error).message);
    process.exit(1);
  });
}
