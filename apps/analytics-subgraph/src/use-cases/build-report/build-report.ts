import { type Actor, badInput, isOneOf, type Money, money, sumByCurrency } from '@pipeline/domain';
import { writeCsv } from '@pipeline/server-kit';

import type { MetricsScope } from '../../domain/metrics-filter';
import { opportunityConditions, periodCondition, SqlParameters } from '../../persistence/scope-sql';
import type { AnalyticsDeps } from '../deps';
import { metricsScope, type RawMetricsFilter } from '../shared/scope';

export const REPORT_DIMENSIONS = ['REP', 'TEAM', 'SOURCE', 'INDUSTRY', 'ACCOUNT'] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

export interface ReportRow {
  key: string | null;
  openCount: number;
  openAmount: Money[];
  wonCount: number;
  lostCount: number;
  winRate: number | null;
  averageDealValue: Money[];
  medianCycleDays: number | null;
}

// ACCOUNT groups as the opportunity service names accounts: one account per name whatever its case and spacing
// ("ACME  Corp" is "Acme Corp"), shown by the first spelling in sort order; without an account (blank name) as null.
const KEYS: Record<ReportDimension, string> = {
  REP: 'f.owner_id::text',
  TEAM: 'r.team_id',
  SOURCE: 'f.lead_source',
  INDUSTRY: 'f.industry',
  ACCOUNT: "nullif(lower(regexp_replace(btrim(f.account_name), '\\s+', ' ', 'g')), '')",
};
const LABELS: Partial<Record<ReportDimension, string>> = { ACCOUNT: "nullif(regexp_replace(btrim(f.account_name), '\\s+', ' ', 'g'), '')" };

// Performance per rep, team, source or industry: open pipeline now, and won/lost/value/cycle in the period.
export async function reportRows(deps: AnalyticsDeps, scope: MetricsScope, dimension: ReportDimension): Promise<ReportRow[]> {
  const parameters = new SqlParameters();
  const where = opportunityConditions(scope, parameters);
  const closedInPeriod = periodCondition('f.closed_at', scope, parameters);
  const key = KEYS[dimension];
  const label = LABELS[dimension] ?? key;
  const rows: Array<{
    key: string | null;
    currency: string | null;
    open_count: number;
    open_amount: string | null;
    won: number;
    lost: number;
    avg_won: string | null;
    median_cycle: number | null;
  }> = await deps.dataSource.query(
    `WITH scoped AS (SELECT ${key} AS key, ${label} AS label, f.* FROM opportunity_fact f LEFT JOIN rep_fact r ON r.rep_id = f.owner_id WHERE ${where}),
            labels AS (SELECT key, min(label) AS label FROM scoped GROUP BY key),
            cycles AS (SELECT key, percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f.closed_at - f.created_at) / 86400) AS median_cycle
                         FROM scoped f WHERE f.status = 'WON' AND ${closedInPeriod} GROUP BY key)
       SELECT (SELECT l.label FROM labels l WHERE l.key IS NOT DISTINCT FROM f.key) AS key, f.currency,
              count(*) FILTER (WHERE f.status = 'OPEN')::int AS open_count,
              sum(f.amount) FILTER (WHERE f.status = 'OPEN') AS open_amount,
              count(*) FILTER (WHERE f.status = 'WON' AND ${closedInPeriod})::int AS won,
              count(*) FILTER (WHERE f.status = 'LOST' AND ${closedInPeriod})::int AS lost,
              avg(f.amount) FILTER (WHERE f.status = 'WON' AND ${closedInPeriod}) AS avg_won,
              (SELECT c.median_cycle FROM cycles c WHERE c.key IS NOT DISTINCT FROM f.key) AS median_cycle
         FROM scoped f GROUP BY f.key, f.currency ORDER BY f.key NULLS LAST, f.currency`,
    parameters.values,
  );
  const byKey = new Map<string | null, ReportRow>();
  for (const row of rows) {
    const entry = byKey.get(row.key) ?? {
      key: row.key,
      openCount: 0,
      openAmount: [],
      wonCount: 0,
      lostCount: 0,
      winRate: null,
      averageDealValue: [],
      medianCycleDays: row.median_cycle === null ? null : Number(row.median_cycle),
    };
    entry.openCount += row.open_count;
    entry.wonCount += row.won;
    entry.lostCount += row.lost;
    if (row.currency) {
      const currency = row.currency.trim();
      if (row.open_amount !== null) entry.openAmount = sumByCurrency([...entry.openAmount, money(row.open_amount, currency)]);
      if (row.avg_won !== null) entry.averageDealValue = [...entry.averageDealValue, money(row.avg_won, currency)];
    }
    entry.winRate = entry.wonCount + entry.lostCount === 0 ? null : entry.wonCount / (entry.wonCount + entry.lostCount);
    byKey.set(row.key, entry);
  }
  return [...byKey.values()];
}

export async function buildReport(deps: AnalyticsDeps, actor: Actor, args: { dimension: unknown; filter?: RawMetricsFilter | null }): Promise<ReportRow[]> {
  if (!isOneOf(REPORT_DIMENSIONS, args.dimension)) throw badInput('dimension', `dimension must be one of ${REPORT_DIMENSIONS.join(', ')}`);
  return reportRows(deps, metricsScope(actor, args.filter), args.dimension);
}

const moneyText = (values: Money[]) => values.map((value) => `${value.amount} ${value.currency}`).join('; ');

// The same rows as the graph's report, as CSV for spreadsheets.
export function reportCsv(dimension: ReportDimension, rows: ReportRow[]): string {
  return writeCsv(
    [dimension.toLowerCase(), 'open_count', 'open_amount', 'won_count', 'lost_count', 'win_rate', 'average_deal_value', 'median_cycle_days'],
    rows.map((row) => [
      row.key,
      row.openCount,
      moneyText(row.openAmount),
      row.wonCount,
      row.lostCount,
      row.winRate,
      moneyText(row.averageDealValue),
      row.medianCycleDays,
    ]),
  );
}
