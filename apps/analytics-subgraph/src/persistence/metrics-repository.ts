import type { EntityManager } from 'typeorm';
import { money, sumByCurrency, type LeadSource, type Money } from '@pipeline/domain';
import type { MetricsScope } from '../domain/metrics-filter';
import { opportunityConditions, periodCondition, SqlParameters } from './scope-sql';

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

// Open pipeline now (from current facts) or as of a past instant (from the stage timeline), per stage and currency.
export async function pipelineSize(manager: EntityManager, scope: MetricsScope, asOf: Date | null): Promise<PipelineSize> {
  const parameters = new SqlParameters();
  const where = opportunityConditions(scope, parameters);
  const sql =
    asOf === null
      ? `SELECT f.stage AS stage, f.stage_position AS position, f.currency AS currency, count(*)::int AS count, sum(f.amount) AS amount, sum(f.amount * f.probability::numeric) AS weighted
           FROM opportunity_fact f WHERE ${where} AND f.status = 'OPEN' GROUP BY 1, 2, 3`
      : `SELECT i.stage AS stage, i.position AS position, f.currency AS currency, count(*)::int AS count, sum(f.amount) AS amount, sum(f.amount * f.probability::numeric) AS weighted
           FROM stage_interval i JOIN opportunity_fact f ON f.opportunity_id = i.opportunity_id
          WHERE ${where} AND i.category = 'OPEN' AND i.entered_at <= ${parameters.add(asOf.toISOString())}::timestamptz
            AND (i.left_at IS NULL OR i.left_at > ${parameters.add(asOf.toISOString())}::timestamptz)
          GROUP BY 1, 2, 3`;
  const rows: Array<{ stage: string; position: number | null; currency: string | null; count: number; amount: string | null; weighted: string | null }> = await manager.query(sql, parameters.values);
  const stages = new Map<string, { position: number; bucket: StageBucket }>();
  for (const row of rows) {
    const entry = stages.get(row.stage) ?? { position: row.position ?? Number.MAX_SAFE_INTEGER, bucket: { stage: row.stage, count: 0, amount: [], weightedAmount: [] } };
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

export async function closedCounts(manager: EntityManager, scope: MetricsScope): Promise<{ won: number; lost: number }> {
  const parameters = new SqlParameters();
  const rows: Array<{ status: string; count: number }> = await manager.query(
    `SELECT f.status, count(*)::int AS count FROM opportunity_fact f
      WHERE ${opportunityConditions(scope, parameters)} AND f.status IN ('WON', 'LOST') AND ${periodCondition('f.closed_at', scope, parameters)}
      GROUP BY f.status`,
    parameters.values,
  );
  return { won: rows.find((row) => row.status === 'WON')?.count ?? 0, lost: rows.find((row) => row.status === 'LOST')?.count ?? 0 };
}

export async function averageWonValue(manager: EntityManager, scope: MetricsScope): Promise<Money[]> {
  const parameters = new SqlParameters();
  const rows: Array<{ currency: string; average: string }> = await manager.query(
    `SELECT f.currency, avg(f.amount) AS average FROM opportunity_fact f
      WHERE ${opportunityConditions(scope, parameters)} AND f.status = 'WON' AND f.amount IS NOT NULL AND ${periodCondition('f.closed_at', scope, parameters)}
      GROUP BY f.currency ORDER BY f.currency`,
    parameters.values,
  );
  return rows.map((row) => money(row.average, row.currency.trim()));
}

// Days from creation to close for won opportunities; percentile_cont is the same linear interpolation as libs/domain.
export async function cycleStats(manager: EntityManager, scope: MetricsScope): Promise<CycleStats> {
  const parameters = new SqlParameters();
  const [row] = await manager.query(
    `SELECT count(*)::int AS count, avg(days) AS mean, percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median, percentile_cont(0.9) WITHIN GROUP (ORDER BY days) AS p90
       FROM (SELECT extract(epoch FROM f.closed_at - f.created_at) / ${DAY_SECONDS} AS days FROM opportunity_fact f
              WHERE ${opportunityConditions(scope, parameters)} AND f.status = 'WON' AND ${periodCondition('f.closed_at', scope, parameters)}) won`,
    parameters.values,
  );
  return { count: row.count, meanDays: num(row.mean), medianDays: num(row.median), p90Days: num(row.p90) };
}

// Of the opportunities that entered a stage in the period (their first entry in it counts), the share that later
// reached the next stage or any later one that is not a LOST stage. Each stay carries, from its rebuild, the furthest
// non-lost stage reached after it and its previous entry into the same stage, so this is one join and one aggregate.
export async function stageConversions(manager: EntityManager, scope: MetricsScope, perOwner = false): Promise<StageConversion[]> {
  const parameters = new SqlParameters();
  const where = opportunityConditions(scope, parameters);
  const period = periodCondition('i.entered_at', scope, parameters);
  const firstInPeriod = scope.from ? `(i.previous_entry_at IS NULL OR i.previous_entry_at < ${parameters.add(scope.from.toISOString())}::timestamptz)` : 'i.previous_entry_at IS NULL';
  const owner = perOwner ? 'f.owner_id' : 'NULL::uuid';
  const rows: Array<{ owner_id: string | null; from_stage: string; to_stage: string; from_position: number; entered: number; advanced: number }> = await manager.query(
    `WITH stages AS (
        SELECT i.pipeline_id, i.stage, max(i.position) AS position
          FROM stage_interval i JOIN opportunity_fact f ON f.opportunity_id = i.opportunity_id
         WHERE ${where} AND i.category <> 'LOST' AND i.position IS NOT NULL
         GROUP BY i.pipeline_id, i.stage),
      pairs AS (
        SELECT pipeline_id, stage AS from_stage, position AS from_position,
               lead(stage) OVER (PARTITION BY pipeline_id ORDER BY position) AS to_stage,
               lead(position) OVER (PARTITION BY pipeline_id ORDER BY position) AS to_position
          FROM stages)
     SELECT ${owner} AS owner_id, p.from_stage, p.to_stage, min(p.from_position) AS from_position, count(*)::int AS entered,
            count(*) FILTER (WHERE i.later_position >= p.to_position)::int AS advanced
       FROM stage_interval i
       JOIN pairs p ON p.pipeline_id = i.pipeline_id AND p.from_stage = i.stage AND p.to_stage IS NOT NULL
       JOIN opportunity_fact f ON f.opportunity_id = i.opportunity_id
      WHERE ${where} AND i.category = 'OPEN' AND ${period} AND ${firstInPeriod}
      GROUP BY 1, p.from_stage, p.to_stage ORDER BY 1, 4, 2`,
    parameters.values,
  );
  return rows.map((row) => ({
    ...(perOwner ? { ownerId: row.owner_id } : {}),
    fromStage: row.from_stage,
    toStage: row.to_stage,
    entered: row.entered,
    advanced: row.advanced,
    rate: row.entered === 0 ? null : row.advanced / row.entered,
  }));
}

// Where opportunities stall: dwell times of finished stays per stage, and open ones past the stage's usual time (p75),
// all in the database: one sort per stage for the three percentiles, one scan of the open opportunities.
export async function bottlenecks(manager: EntityManager, scope: MetricsScope, now: Date): Promise<StageBottleneck[]> {
  const parameters = new SqlParameters();
  const where = opportunityConditions(scope, parameters);
  const rows: Array<{ stage: string; position: number | null; open_count: number; stalled: number; percentiles: number[] | null }> = await manager.query(
    `WITH dwell AS (
        SELECT i.stage, max(i.position) AS position,
               percentile_cont(ARRAY[0.5, 0.75, 0.9]::double precision[]) WITHIN GROUP (ORDER BY extract(epoch FROM i.left_at - i.entered_at) / ${DAY_SECONDS}) AS percentiles
          FROM stage_interval i JOIN opportunity_fact f ON f.opportunity_id = i.opportunity_id
         WHERE ${where} AND i.category = 'OPEN' AND i.left_at IS NOT NULL
         GROUP BY i.stage),
      open_now AS (
        SELECT f.stage, min(f.stage_position) AS position, count(*)::int AS open_count,
               count(*) FILTER (WHERE d.percentiles IS NOT NULL
                 AND extract(epoch FROM ${parameters.add(now.toISOString())}::timestamptz - f.stage_entered_at) / ${DAY_SECONDS} > d.percentiles[2])::int AS stalled
          FROM opportunity_fact f LEFT JOIN dwell d ON d.stage = f.stage
         WHERE ${where} AND f.status = 'OPEN'
         GROUP BY f.stage)
     SELECT coalesce(d.stage, o.stage) AS stage, coalesce(o.position, d.position) AS position, coalesce(o.open_count, 0) AS open_count,
            coalesce(o.stalled, 0) AS stalled, d.percentiles
       FROM dwell d FULL JOIN open_now o ON o.stage = d.stage
      ORDER BY 2 NULLS LAST, 1`,
    parameters.values,
  );
  return rows.map((row) => ({
    stage: row.stage,
    openCount: row.open_count,
    medianDaysInStage: num(row.percentiles?.[0]),
    usualDaysInStage: num(row.percentiles?.[1]),
    p90DaysInStage: num(row.percentiles?.[2]),
    stalledCount: row.stalled,
  }));
}

export async function leadConversion(manager: EntityManager, scope: MetricsScope): Promise<LeadSourceConversion[]> {
  const parameters = new SqlParameters();
  const conditions = ['true'];
  if (scope.source) conditions.push(`l.source = ${parameters.add(scope.source)}`);
  if (scope.industry) conditions.push(`lower(l.industry) = lower(${parameters.add(scope.industry)})`);
  if (scope.ownerIds?.length) conditions.push(`l.owner_id = ANY(${parameters.add(scope.ownerIds)}::uuid[])`);
  if (scope.teamId) conditions.push(`l.owner_id IN (SELECT rep_id FROM rep_fact WHERE team_id = ${parameters.add(scope.teamId)})`);
  if (scope.visibility.kind === 'own') conditions.push(`l.owner_id = ${parameters.add(scope.visibility.userId)}::uuid`);
  if (scope.visibility.kind === 'team') {
    const team = scope.visibility.teamId ? `OR l.owner_id IN (SELECT rep_id FROM rep_fact WHERE team_id = ${parameters.add(scope.visibility.teamId)})` : '';
    conditions.push(`(l.owner_id IS NULL OR l.owner_id = ${parameters.add(scope.visibility.userId)}::uuid ${team})`);
  }
  conditions.push(periodCondition('l.created_at', scope, parameters));
  const rows: Array<{ source: LeadSource; leads: number; converted: number }> = await manager.query(
    `SELECT l.source, count(*)::int AS leads, count(*) FILTER (WHERE l.converted_at IS NOT NULL)::int AS converted
       FROM lead_fact l WHERE ${conditions.join(' AND ')} GROUP BY l.source ORDER BY l.source`,
    parameters.values,
  );
  return rows.map((row) => ({ ...row, rate: row.leads === 0 ? null : row.converted / row.leads }));
}
