import { type Actor, assertRole, Dec, type Money, newId, parseInteger, sumByCurrency, SYSTEM_ACTOR } from '@pipeline/domain';
import type { EntityManager } from 'typeorm';

import { type ForecastRange, type OpenDeal, simulateRevenue } from '../../domain/forecast';
import type { MetricsScope } from '../../domain/metrics-filter';
import { monthStart } from '../../domain/periods';
import { opportunityConditions, SqlParameters } from '../../persistence/scope-sql';
import type { AnalyticsDeps } from '../deps';
import { metricsScope, type RawMetricsFilter } from '../shared/scope';

export interface StageWinRate {
  stage: string;
  winProbability: number | null;
  sample: number;
  medianDaysToClose: number | null;
}

export interface Forecast {
  generatedAt: Date;
  weighted: Array<{ month: string; count: number; weightedAmount: Money[] }>;
  stageWinRates: StageWinRate[];
  ranges: ForecastRange[];
  simulations: number;
}

const MIN_SAMPLE = 5;

// Measured from closed history, not from configured stage probabilities: of the closed opportunities that were ever in
// a stage, the share that won, and how long won ones took from entering that stage to closing.
export async function stageWinRates(manager: EntityManager, scope: MetricsScope): Promise<StageWinRate[]> {
  const parameters = new SqlParameters();
  const where = opportunityConditions(scope, parameters);
  const rows: Array<{ stage: string; sample: number; won: number; median_days: number | null }> = await manager.query(
    `WITH visits AS (
        SELECT DISTINCT ON (i.opportunity_id, i.stage) i.opportunity_id, i.stage, i.position, i.entered_at
          FROM stage_interval i JOIN opportunity_fact f ON f.opportunity_id = i.opportunity_id
         WHERE ${where} AND i.category = 'OPEN' AND f.status IN ('WON', 'LOST')
         ORDER BY i.opportunity_id, i.stage, i.seq)
     SELECT v.stage, max(v.position) AS position, count(*)::int AS sample, count(*) FILTER (WHERE f.status = 'WON')::int AS won,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f.closed_at - v.entered_at) / 86400) FILTER (WHERE f.status = 'WON') AS median_days
       FROM visits v JOIN opportunity_fact f ON f.opportunity_id = v.opportunity_id
      GROUP BY v.stage ORDER BY 2, 1`,
    parameters.values,
  );
  return rows.map((row) => ({
    stage: row.stage,
    sample: row.sample,
    winProbability: row.sample === 0 ? null : row.won / row.sample,
    medianDaysToClose: row.median_days === null ? null : Number(row.median_days),
  }));
}

export async function buildForecast(manager: EntityManager, scope: MetricsScope, now: Date, simulations: number): Promise<Forecast> {
  const parameters = new SqlParameters();
  const where = opportunityConditions(scope, parameters);
  const open: Array<{
    stage: string;
    amount: string | null;
    currency: string | null;
    probability: number;
    expected_close_date: string | null;
    stage_entered_at: Date;
  }> = await manager.query(
    `SELECT f.stage, f.amount, f.currency, f.probability, to_char(f.expected_close_date, 'YYYY-MM-DD') AS expected_close_date, f.stage_entered_at
       FROM opportunity_fact f WHERE ${where} AND f.status = 'OPEN' ORDER BY f.opportunity_id`,
    parameters.values,
  );
  const rates = await stageWinRates(manager, scope);
  const weighted = new Map<string, { count: number; amounts: Money[] }>();
  const deals: OpenDeal[] = [];
  for (const row of open) {
    if (row.amount === null || row.currency === null) continue;
    const currency = row.currency.trim();
    const rate = rates.find((entry) => entry.stage === row.stage);
    const measured = rate && rate.sample >= MIN_SAMPLE && rate.winProbability !== null;
    // No date set: assume the measured time to close from this stage (or a month) counted from entering it.
    const fallback = new Date(row.stage_entered_at.getTime() + (rate?.medianDaysToClose ?? 30) * 86_400_000);
    const closeMonth = row.expected_close_date ? `${row.expected_close_date.slice(0, 7)}-01` : monthStart(fallback < now ? now : fallback);
    deals.push({ amount: row.amount, currency, winProbability: measured ? (rate.winProbability as number) : Number(row.probability), closeMonth });
    if (row.expected_close_date) {
      const entry = weighted.get(closeMonth) ?? { count: 0, amounts: [] };
      entry.count += 1;
      // Unrounded products: sumByCurrency adds them exactly and rounds the month's total once.
      entry.amounts.push({ amount: new Dec(row.amount).times(row.probability).toFixed(), currency });
      weighted.set(closeMonth, entry);
    }
  }
  return {
    generatedAt: now,
    weighted: [...weighted.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([month, entry]) => ({ month, count: entry.count, weightedAmount: sumByCurrency(entry.amounts) })),
    stageWinRates: rates,
    ranges: simulateRevenue(deals, simulations),
    simulations,
  };
}

export async function forecastRevenue(
  deps: AnalyticsDeps,
  actor: Actor,
  args: { filter?: RawMetricsFilter | null; simulations?: number | null },
): Promise<Forecast> {
  const simulations = parseInteger(args.simulations ?? 2_000, 'simulations', 100, 20_000);
  return buildForecast(deps.dataSource.manager, metricsScope(actor, args.filter), deps.now(), simulations);
}

export interface ForecastSnapshotView {
  id: string;
  takenAt: Date;
  month: string;
  currency: string;
  weighted: string;
  p50: string;
  actual: string | null;
  error: number | null;
}

// Weekly snapshots of the whole-company forecast, so its accuracy can be checked against what really closed.
export async function takeForecastSnapshot(deps: AnalyticsDeps, actor: Actor): Promise<ForecastSnapshotView[]> {
  assertRole(actor, ['ADMIN'], 'take forecast snapshots');
  const now = deps.now();
  const forecast = await buildForecast(deps.dataSource.manager, metricsScope(SYSTEM_ACTOR, null), now, 2_000);
  return deps.dataSource.transaction(async (manager) => readSnapshots(manager, now, { ids: await storeCompanySnapshot(manager, now, forecast) }));
}

// The weighted amount of a forecast's month and currency ('0' when no open deal there has a close date).
export const weightedFor = (forecast: Forecast, month: string, currency: string): string =>
  forecast.weighted.find((entry) => entry.month === month)?.weightedAmount.find((amount) => amount.currency === currency)?.amount ?? '0';

// Every month and currency in one statement: a snapshot is stored whole or not at all (the weekly job calls it too).
export async function storeCompanySnapshot(manager: EntityManager, now: Date, forecast: Forecast): Promise<string[]> {
  const rows = forecast.ranges.map((range) => ({
    id: newId(),
    month: range.month,
    currency: range.currency,
    weighted: weightedFor(forecast, range.month, range.currency),
    p50: range.p50,
  }));
  await manager.query(
    `INSERT INTO forecast_snapshot (id, taken_at, month, currency, weighted, p50)
     SELECT s.id, $1::timestamptz, s.month, s.currency, s.weighted, s.p50
       FROM unnest($2::uuid[], $3::date[], $4::text[], $5::numeric[], $6::numeric[]) AS s(id, month, currency, weighted, p50)`,
    [
      now.toISOString(),
      rows.map((row) => row.id),
      rows.map((row) => row.month),
      rows.map((row) => row.currency),
      rows.map((row) => row.weighted),
      rows.map((row) => row.p50),
    ],
  );
  return rows.map((row) => row.id);
}

export async function listForecastSnapshots(deps: AnalyticsDeps, actor: Actor, args: { first?: number | null }): Promise<ForecastSnapshotView[]> {
  assertRole(actor, ['ADMIN', 'ANALYST'], 'read company-wide forecast snapshots');
  const first = parseInteger(args.first ?? 50, 'first', 1, 500);
  return readSnapshots(deps.dataSource.manager, deps.now(), { first });
}

// Newest snapshots first, each with what actually closed in its month once that month is over.
async function readSnapshots(manager: EntityManager, now: Date, which: { ids: string[] } | { first: number }): Promise<ForecastSnapshotView[]> {
  const [condition, limit, value] = 'ids' in which ? ['s.id = ANY($2::uuid[])', '', which.ids] : ['true', 'LIMIT $2', which.first];
  const rows: Array<{ id: string; taken_at: Date; month: string; currency: string; weighted: string; p50: string; actual: string | null }> =
    await manager.query(
      `SELECT s.id, s.taken_at, to_char(s.month, 'YYYY-MM-DD') AS month, s.currency, s.weighted, s.p50,
            CASE WHEN s.month + interval '1 month' <= $1::timestamptz THEN
              (SELECT coalesce(sum(f.amount), 0) FROM opportunity_fact f
                WHERE f.status = 'WON' AND NOT f.archived AND f.currency = s.currency AND f.closed_at >= s.month AND f.closed_at < s.month + interval '1 month')
            END AS actual
       FROM forecast_snapshot s WHERE ${condition} ORDER BY s.taken_at DESC, s.month, s.currency ${limit}`,
      [now.toISOString(), value],
    );
  return rows.map((row) => ({
    id: row.id,
    takenAt: row.taken_at,
    month: row.month,
    currency: row.currency.trim(),
    weighted: row.weighted,
    p50: row.p50,
    actual: row.actual,
    error: row.actual === null || Number(row.p50) === 0 ? null : Number(row.actual) / Number(row.p50) - 1,
  }));
}
