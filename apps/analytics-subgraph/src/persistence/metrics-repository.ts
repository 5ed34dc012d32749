import { type LeadSource, type Money, money, sumByCurrency } from '@pipeline/domain';
import type { EntityManager } from 'typeorm';

import type { MetricsScope } from '../domain/metrics-filter';
import { opportunityConditions, SqlParameters, UNRESTRICTED, UNRESTRICTED_STAYS, visibleTo } from './scope-sql';

export interface StageBucket {
  stage: string;
  count: number;
  amount: Money[];
  weightedAmount: Money[];
}

export interface PipelineSize {
  openCount: number;
  openAmount: Money[];
  weightedAmount: Money[];
  byStage: StageBucket[];
}

export interface CycleStats {
  count: number;
  meanDays: number | null;
  medianDays: number | null;
  p90Days: number | null;
}

export interface StageConversion {
  ownerId?: string | null;
  fromStage: string;
  toStage: string;
  entered: number;
  advanced: number;
  rate: number | null;
}

export interface StageBottleneck {
  stage: string;
  openCount: number;
  medianDaysInStage: number | null;
  p90DaysInStage: number | null;
  usualDaysInStage: number | null;
  stalledCount: number;
}

export interface LeadSourceConversion {
  source: LeadSource;
  leads: number;
  converted: number;
  rate: number | null;
}

const DAY_SECONDS = 86_400;
const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

// The periods KPIs are computed over: consecutive [start, end) windows of a series, or one period whose ends may be open.
export interface MetricsPeriod {
  start: Date | null;
  end: Date | null;
}

export const wholePeriod = (scope: MetricsScope): MetricsPeriod[] => [{ start: scope.from, end: scope.to }];

interface Bucketing {
  // Which period (1..n) a row of `column` falls in, and the condition keeping rows inside the first and last bounds.
  bucket: string;
  within: string;
  // The start of the row's period, or null when the only period has no start.
  start(): string | null;
}

// Rows are grouped by period with one binary search over the bounds (width_bucket), so n periods cost one statement.
// A single period keeps plain range conditions, which also leave its open ends open (rows with a null column included).
function bucketing(column: string, periods: MetricsPeriod[], parameters: SqlParameters): Bucketing {
  const first = periods[0].start;
  const last = periods[periods.length - 1].end;
  const within: string[] = [];
  if (first) within.push(`${column} >= ${parameters.add(first.toISOString())}::timestamptz`);
  if (last) within.push(`${column} < ${parameters.add(last.toISOString())}::timestamptz`);
  if (periods.length === 1)
    return { bucket: '1', within: within.join(' AND ') || 'true', start: () => (first ? `${parameters.add(first.toISOString())}::timestamptz` : null) };
  const bounds = periods.map((period, index) => {
    if (!period.start || !period.end || (index > 0 && periods[index - 1].end?.getTime() !== period.start.getTime()))
      throw new Error('a series needs consecutive, bounded periods');
    return period.start.toISOString();
  });
  const array = `${parameters.add([...bounds, (last as Date).toISOString()])}::timestamptz[]`;
  const bucket = `width_bucket(${column}, ${array})`;
  return { bucket, within: within.join(' AND '), start: () => `(${array})[${bucket}]` };
}

// One entry per period, in order, from rows that carry their period number.
function perPeriod<Row extends { bucket: number }, T>(periods: MetricsPeriod[], rows: Row[], build: (rows: Row[]) => T): T[] {
  return periods.map((_period, index) => build(rows.filter((row) => row.bucket === index + 1)));
}

export interface SizeRow {
  stage: string;
  position: number | null;
  currency: string | null;
  count: number;
  amount: string | null;
  weighted: string | null;
}

export function assembleSize(rows: SizeRow[]): PipelineSize {
  const stages = new Map<string, { position: number; bucket: StageBucket }>();
  for (const row of rows) {
    const entry = stages.get(row.stage) ?? {
      position: row.position ?? Number.MAX_SAFE_INTEGER,
      bucket: { stage: row.stage, count: 0, amount: [], weightedAmount: [] },
    };
    entry.bucket.count += row.count;
    if (row.currency && row.amount !== null) {
      const currency = row.currency.trim();
      entry.bucket.amount = sumByCurrency([...entry.bucket.amount, money(row.amount, currency)]);
      entry.bucket.weightedAmount = sumByCurrency([...entry.bucket.weightedAmount, money(row.weighted ?? '0', currency)]);
    }
    stages.set(row.stage, entry);
  }
  const byStage = [...stages.values()].sort((a, b) => a.position - b.position || a.bucket.stage.localeCompare(b.bucket.stage)).map((entry) => entry.bucket);
  return {
    openCount: byStage.reduce((sum, bucket) => sum + bucket.count, 0),
    openAmount: sumByCurrency(byStage.flatMap((bucket) => bucket.amount)),
    weightedAmount: sumByCurrency(byStage.flatMap((bucket) => bucket.weightedAmount)),
    byStage,
  };
}

// Open pipeline now, from current facts, per stage and currency.
export async function pipelineSize(manager: EntityManager, scope: MetricsScope): Promise<PipelineSize> {
  const parameters = new SqlParameters();
  const rows: SizeRow[] = await manager.query(
    `SELECT f.stage AS stage, f.stage_position AS position, f.currency AS currency, count(*)::int AS count, sum(f.amount) AS amount, sum(f.amount * f.probability::numeric) AS weighted
       FROM opportunity_fact f WHERE ${opportunityConditions(scope, parameters)} AND f.status = 'OPEN' GROUP BY 1, 2, 3 ORDER BY 2 NULLS LAST, 1, 3`,
    parameters.values,
  );
  return assembleSize(rows);
}

// Open pipeline at each instant of a non-decreasing list, from the stage timeline: a stay [entered_at, left_at) counts at
// every instant inside it. Binary searches give each stay its first and last instant, generate_series fans it out to them.
export async function pipelineSizesAsOf(manager: EntityManager, scope: MetricsScope, instants: Date[]): Promise<PipelineSize[]> {
  if (instants.length === 0) return [];
  const parameters = new SqlParameters();
  const where = opportunityConditions(scope, parameters);
  const at = `${parameters.add(instants.map((instant) => instant.toISOString()))}::timestamptz[]`;
  // timestamptz counts microseconds, so x - 1 µs finds the instants strictly before x.
  const rows: Array<SizeRow & { bucket: number }> = await manager.query(
    `WITH stays AS (
        SELECT i.stage, i.position, f.currency, f.amount, f.probability,
               width_bucket(i.entered_at - interval '1 microsecond', ${at}) + 1 AS first_bucket,
               CASE WHEN i.left_at IS NULL THEN ${parameters.add(instants.length)}::int ELSE width_bucket(i.left_at - interval '1 microsecond', ${at}) END AS last_bucket
          FROM stage_interval i JOIN opportunity_fact f ON f.opportunity_id = i.opportunity_id
         WHERE ${where} AND i.category = 'OPEN' AND i.entered_at <= ${parameters.add(instants[instants.length - 1].toISOString())}::timestamptz)
     SELECT b.bucket, s.stage, s.position, s.currency, count(*)::int AS count, sum(s.amount) AS amount, sum(s.amount * s.probability::numeric) AS weighted
       FROM stays s CROSS JOIN LATERAL generate_series(s.first_bucket, s.last_bucket) AS b(bucket)
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 3 NULLS LAST, 2, 4`,
    parameters.values,
  );
  return instants.map((_instant, index) => assembleSize(rows.filter((row) => row.bucket === index + 1)));
}

export async function closedCounts(manager: EntityManager, scope: MetricsScope, periods: MetricsPeriod[]): Promise<Array<{ won: number; lost: number }>> {
  const parameters = new SqlParameters();
  const where = opportunityConditions(scope, parameters);
  const closed = bucketing('f.closed_at', periods, parameters);
  const rows: Array<{ bucket: number; status: string; count: number }> = await manager.query(
    `SELECT ${closed.bucket} AS bucket, f.status, count(*)::int AS count FROM opportunity_fact f
      WHERE ${where} AND f.status IN ('WON', 'LOST') AND ${closed.within}
      GROUP BY 1, 2`,
    parameters.values,
  );
  return perPeriod(periods, rows, (mine) => ({
    won: mine.find((row) => row.status === 'WON')?.count ?? 0,
    lost: mine.find((row) => row.status === 'LOST')?.count ?? 0,
  }));
}

export async function averageWonValue(manager: EntityManager, scope: MetricsScope, periods: MetricsPeriod[]): Promise<Money[][]> {
  const parameters = new SqlParameters();
  const where = opportunityConditions(scope, parameters);
  const closed = bucketing('f.closed_at', periods, parameters);
  const rows: Array<{ bucket: number; currency: string; average: string }> = await manager.query(
    `SELECT ${closed.bucket} AS bucket, f.currency, avg(f.amount) AS average FROM opportunity_fact f
      WHERE ${where} AND f.status = 'WON' AND f.amount IS NOT NULL AND ${closed.within}
      GROUP BY 1, 2 ORDER BY 1, 2`,
    parameters.values,
  );
  return perPeriod(periods, rows, (mine) => mine.map((row) => money(row.average, row.currency.trim())));
}

// Days from creation to close for won opportunities; percentile_cont is the same linear interpolation as libs/domain.
export async function cycleStats(manager: EntityManager, scope: MetricsScope, periods: MetricsPeriod[]): Promise<CycleStats[]> {
  const parameters = new SqlParameters();
  const where = opportunityConditions(scope, parameters);
  const closed = bucketing('f.closed_at', periods, parameters);
  const rows: Array<{ bucket: number; count: number; mean: string | null; median: number | null; p90: number | null }> = await manager.query(
    `SELECT bucket, count(*)::int AS count, avg(days) AS mean, percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median, percentile_cont(0.9) WITHIN GROUP (ORDER BY days) AS p90
       FROM (SELECT ${closed.bucket} AS bucket, extract(epoch FROM f.closed_at - f.created_at) / ${DAY_SECONDS} AS days FROM opportunity_fact f
              WHERE ${where} AND f.status = 'WON' AND ${closed.within}) won
      GROUP BY bucket`,
    parameters.values,
  );
  return perPeriod(periods, rows, ([row]) =>
    row
      ? { count: row.count, meanDays: num(row.mean), medianDays: num(row.median), p90Days: num(row.p90) }
      : { count: 0, meanDays: null, medianDays: null, p90Days: null },
  );
}

// Stays of the opportunities in scope. Every stay's opportunity has a fact row (one rebuild writes both), so an
// unrestricted scope skips the join, the costliest step of these queries at 100k opportunities.
function staysInScope(where: string, needsFact = false): string {
  return where === UNRESTRICTED && !needsFact ? UNRESTRICTED_STAYS : 'stage_interval i JOIN opportunity_fact f ON f.opportunity_id = i.opportunity_id';
}

// Of the opportunities that entered a stage in the period (their first entry in it counts), the share that later
// reached the next stage or any later one that is not a LOST stage. Each stay carries, from its rebuild, the furthest
// non-lost stage reached after it and its previous entry into the same stage, so this is one join and one aggregate.
export async function stageConversions(manager: EntityManager, scope: MetricsScope, periods: MetricsPeriod[], perOwner = false): Promise<StageConversion[][]> {
  const parameters = new SqlParameters();
  const where = opportunityConditions(scope, parameters);
  const entered = bucketing('i.entered_at', periods, parameters);
  const periodStart = entered.start();
  const firstInPeriod = periodStart ? `(i.previous_entry_at IS NULL OR i.previous_entry_at < ${periodStart})` : 'i.previous_entry_at IS NULL';
  const owner = perOwner ? 'f.owner_id' : 'NULL::uuid';
  const rows: Array<{
    bucket: number;
    owner_id: string | null;
    from_stage: string;
    to_stage: string;
    from_position: number;
    entered: number;
    advanced: number;
  }> = await manager.query(
    `WITH stages AS (
        SELECT i.pipeline_id, i.stage, max(i.position) AS position
          FROM ${staysInScope(where)}
         WHERE ${where} AND i.category <> 'LOST' AND i.position IS NOT NULL
         GROUP BY i.pipeline_id, i.stage),
      pairs AS (
        SELECT pipeline_id, stage AS from_stage, position AS from_position,
               lead(stage) OVER (PARTITION BY pipeline_id ORDER BY position) AS to_stage,
               lead(position) OVER (PARTITION BY pipeline_id ORDER BY position) AS to_position
          FROM stages)
     SELECT ${entered.bucket} AS bucket, ${owner} AS owner_id, p.from_stage, p.to_stage, min(p.from_position) AS from_position, count(*)::int AS entered,
            count(*) FILTER (WHERE i.later_position >= p.to_position)::int AS advanced
       FROM ${staysInScope(where, perOwner)}
       JOIN pairs p ON p.pipeline_id = i.pipeline_id AND p.from_stage = i.stage AND p.to_stage IS NOT NULL
      WHERE ${where} AND i.category = 'OPEN' AND ${entered.within} AND ${firstInPeriod}
      GROUP BY 1, 2, p.from_stage, p.to_stage ORDER BY 1, 2, 5, 3`,
    parameters.values,
  );
  return perPeriod(periods, rows, (mine) =>
    mine.map((row) => ({
      ...(perOwner ? { ownerId: row.owner_id } : {}),
      fromStage: row.from_stage,
      toStage: row.to_stage,
      entered: row.entered,
      advanced: row.advanced,
      rate: row.entered === 0 ? null : row.advanced / row.entered,
    })),
  );
}

// Where opportunities stall: dwell times of finished stays per stage, and open ones past the stage's usual time (p75)
// at each given instant, all in the database: one sort per stage for the three percentiles, one scan of the open ones
// (`stalled` is materialized because the per-stage ARRAY reads it once per stage; inlined it would rescan each time).
export async function bottlenecks(manager: EntityManager, scope: MetricsScope, instants: Date[]): Promise<StageBottleneck[][]> {
  if (instants.length === 0) return [];
  const parameters = new SqlParameters();
  const where = opportunityConditions(scope, parameters);
  const at = `${parameters.add(instants.map((instant) => instant.toISOString()))}::timestamptz[]`;
  const rows: Array<{ stage: string; position: number | null; open_count: number; stalled: number[]; percentiles: number[] | null }> = await manager.query(
    `WITH dwell AS (
        SELECT i.stage, max(i.position) AS position,
               percentile_cont(ARRAY[0.5, 0.75, 0.9]::double precision[]) WITHIN GROUP (ORDER BY extract(epoch FROM i.left_at - i.entered_at) / ${DAY_SECONDS}) AS percentiles
          FROM ${staysInScope(where)}
         WHERE ${where} AND i.category = 'OPEN' AND i.left_at IS NOT NULL
         GROUP BY i.stage),
      instants AS (SELECT * FROM unnest(${at}) WITH ORDINALITY AS m(at, bucket)),
      open_now AS (
        SELECT f.stage, min(f.stage_position) AS position, count(*)::int AS open_count
          FROM opportunity_fact f WHERE ${where} AND f.status = 'OPEN'
         GROUP BY f.stage),
      stalled AS MATERIALIZED (
        SELECT m.bucket, f.stage, count(*)::int AS stalled
          FROM opportunity_fact f JOIN dwell d ON d.stage = f.stage CROSS JOIN instants m
         WHERE ${where} AND f.status = 'OPEN' AND extract(epoch FROM m.at - f.stage_entered_at) / ${DAY_SECONDS} > d.percentiles[2]
         GROUP BY 1, 2)
     SELECT coalesce(d.stage, o.stage) AS stage, coalesce(o.position, d.position) AS position, coalesce(o.open_count, 0) AS open_count, d.percentiles,
            ARRAY(SELECT coalesce(s.stalled, 0) FROM instants m LEFT JOIN stalled s ON s.bucket = m.bucket AND s.stage = coalesce(d.stage, o.stage) ORDER BY m.bucket) AS stalled
       FROM dwell d FULL JOIN open_now o ON o.stage = d.stage
      ORDER BY 2 NULLS LAST, 1`,
    parameters.values,
  );
  return instants.map((_instant, index) =>
    rows.map((row) => ({
      stage: row.stage,
      openCount: row.open_count,
      medianDaysInStage: num(row.percentiles?.[0]),
      usualDaysInStage: num(row.percentiles?.[1]),
      p90DaysInStage: num(row.percentiles?.[2]),
      stalledCount: row.stalled[index],
    })),
  );
}

export async function leadConversion(manager: EntityManager, scope: MetricsScope, periods: MetricsPeriod[]): Promise<LeadSourceConversion[][]> {
  const parameters = new SqlParameters();
  const conditions = ['NOT l.archived'];
  if (scope.source) conditions.push(`l.source = ${parameters.add(scope.source)}`);
  if (scope.industry) conditions.push(`lower(l.industry) = lower(${parameters.add(scope.industry)})`);
  if (scope.ownerIds?.length) conditions.push(`l.owner_id = ANY(${parameters.add(scope.ownerIds)}::uuid[])`);
  if (scope.teamId) conditions.push(`l.owner_id IN (SELECT rep_id FROM rep_fact WHERE team_id = ${parameters.add(scope.teamId)})`);
  conditions.push(visibleTo(scope, parameters, 'l.owner_id'));
  const created = bucketing('l.created_at', periods, parameters);
  conditions.push(created.within);
  const rows: Array<{ bucket: number; source: LeadSource; leads: number; converted: number }> = await manager.query(
    `SELECT ${created.bucket} AS bucket, l.source, count(*)::int AS leads, count(*) FILTER (WHERE l.converted_at IS NOT NULL)::int AS converted
       FROM lead_fact l WHERE ${conditions.join(' AND ')} GROUP BY 1, 2 ORDER BY 1, 2`,
    parameters.values,
  );
  return perPeriod(periods, rows, (mine) =>
    mine.map(({ source, leads, converted }) => ({ source, leads, converted, rate: leads === 0 ? null : converted / leads })),
  );
}
