import { type LeadSource, type Money, money } from '@pipeline/domain';
import Decimal from 'decimal.js';
import type { EntityManager } from 'typeorm';

import { type BucketCount, histogramPercentile } from '../domain/histogram';
import type { MetricsScope } from '../domain/metrics-filter';
import { FAMILY, type Family, type Grain, kpiRows } from './kpi-rollups';
import {
  assembleSize,
  type CycleStats,
  cycleStats,
  type LeadSourceConversion,
  type MetricsPeriod,
  type PipelineSize,
  type SizeRow,
  type StageBottleneck,
  type StageConversion,
} from './metrics-repository';
import { opportunityConditions, SqlParameters, teamMembers, UNRESTRICTED, UNRESTRICTED_STAYS, visibleTo } from './scope-sql';

// The KPIs of metrics-repository.ts read from the rollups (kpi-rollups.ts) instead of the facts: the same results, from
// O(groups) rows. Exact percentiles come from the facts when few values are in scope; beyond that, from histograms.

const DAY_MS = 86_400_000;
const isMidnight = (date: Date | null) => date === null || date.getTime() % DAY_MS === 0;
const dateText = (date: Date) => date.toISOString().slice(0, 10);
const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

// Which rollup can answer a scope over these periods, or null when only the facts can: grain 0 has days but no owners,
// grains 1 and 2 have owners (and industries and sources) but no days, grain 3 neither; every grain needs whole UTC days.
export function rollupGrain(scope: MetricsScope, periods: MetricsPeriod[]): Grain | null {
  if (!periods.every((period) => isMidnight(period.start) && isMidnight(period.end))) return null;
  const timed = periods.length > 1 || periods.some((period) => period.start !== null || period.end !== null);
  if (scope.industry || scope.source) return timed ? null : 2;
  if (scope.ownerIds?.length || scope.teamId || scope.visibility.kind !== 'all') return timed ? null : 1;
  return timed ? 0 : 3;
}

interface DayBucketing {
  bucket: string;
  within: string;
  // The first day of the row's period, or null when the only period has no start.
  start(): string | null;
}

// As metrics-repository's bucketing, over the day column of grain 0 (periods are whole days there).
function dayBucketing(periods: MetricsPeriod[], parameters: SqlParameters): DayBucketing {
  const first = periods[0].start;
  const last = periods[periods.length - 1].end;
  const within: string[] = [];
  if (first) within.push(`r.day >= ${parameters.add(dateText(first))}::date`);
  if (last) within.push(`r.day < ${parameters.add(dateText(last))}::date`);
  if (periods.length === 1)
    return { bucket: '1', within: within.join(' AND ') || 'true', start: () => (first ? `${parameters.add(dateText(first))}::date` : null) };
  const bounds = `${parameters.add(periods.map((period) => dateText(period.start as Date)))}::date[]`;
  return { bucket: `width_bucket(r.day, ${bounds})`, within: within.join(' AND '), start: () => `(${bounds})[width_bucket(r.day, ${bounds})]` };
}

const perPeriod = <Row extends { bucket: number }, T>(periods: MetricsPeriod[], rows: Row[], build: (rows: Row[]) => T): T[] => {
  const byBucket = groupBy(rows, (row) => row.bucket);
  return periods.map((_period, index) => build(byBucket.get(index + 1) ?? []));
};

export async function rollupPipelineSize(manager: EntityManager, scope: MetricsScope, grain: Grain): Promise<PipelineSize> {
  const parameters = new SqlParameters();
  const rows: SizeRow[] = await manager.query(
    `SELECT r.stage, r.position, r.currency, sum(r.n)::int AS count, sum(r.amount) AS amount, sum(r.weighted) AS weighted
       FROM ${kpiRows(grain, [FAMILY.open])} r WHERE ${opportunityConditions(scope, parameters, 'r')}
      GROUP BY 1, 2, 3 HAVING sum(r.n) <> 0 ORDER BY 2 NULLS LAST, 1, 3`,
    parameters.values,
  );
  return assembleSize(rows);
}

// Open pipeline at each instant (non-decreasing): stays entered minus stays left before the instant's day, from the
// daily rollup, plus those entered or left on that day up to the instant itself, from the stays (an index on entry; the
// lookups are per instant and per stay, fenced by OFFSET 0: a join of the instants let the planner scan every stay).
export async function rollupSizesAsOf(manager: EntityManager, scope: MetricsScope, instants: Date[]): Promise<PipelineSize[]> {
  if (instants.length === 0) return [];
  const days = instants.map(dateText);
  const rolled = new SqlParameters();
  const dayRows: Array<SizeRow & { first: number }> = await manager.query(
    `SELECT width_bucket(r.day, ${rolled.add(days)}::date[]) + 1 AS first, r.stage, r.position, r.currency, sum(r.n)::int AS count, sum(r.amount) AS amount, sum(r.weighted) AS weighted
       FROM ${kpiRows(0, [FAMILY.stay])} r WHERE ${opportunityConditions(scope, rolled, 'r')} AND r.day < ${rolled.add(days[days.length - 1])}::date
      GROUP BY 1, 2, 3, 4`,
    rolled.values,
  );
  const edge = new SqlParameters();
  const at = `${edge.add(instants.map((instant) => instant.toISOString()))}::timestamptz[]`;
  const edgeRows: Array<SizeRow & { bucket: number }> = await manager.query(
    `WITH at AS (SELECT a.at, a.bucket, date_trunc('day', a.at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day_start FROM unnest(${at}) WITH ORDINALITY AS a(at, bucket)),
       entered AS MATERIALIZED (
         SELECT a.bucket, n.opportunity_id, n.seq, n.stage, n.position, n.category
           FROM at a CROSS JOIN LATERAL (SELECT * FROM stage_interval WHERE entered_at >= a.day_start AND entered_at <= a.at OFFSET 0) n),
       edges AS (
         SELECT e.bucket, e.opportunity_id, e.stage, e.position, 1 AS sign FROM entered e WHERE e.category = 'OPEN'
         UNION ALL
         SELECT e.bucket, p.opportunity_id, p.stage, p.position, -1
           FROM entered e CROSS JOIN LATERAL (SELECT * FROM stage_interval WHERE opportunity_id = e.opportunity_id AND seq = e.seq - 1 OFFSET 0) p WHERE p.category = 'OPEN')
     SELECT e.bucket::int AS bucket, e.stage, e.position, f.currency, sum(e.sign)::int AS count, sum(e.sign * f.amount) AS amount, sum(e.sign * f.amount * f.probability::numeric) AS weighted
       FROM edges e CROSS JOIN LATERAL (SELECT * FROM opportunity_fact WHERE opportunity_id = e.opportunity_id OFFSET 0) f WHERE ${opportunityConditions(scope, edge)}
      GROUP BY 1, 2, 3, 4`,
    edge.values,
  );
  // A day row counts from its first instant on: running totals advance instant by instant, kept as Decimals (parsing
  // and printing numeric text on every addition was most of a 52-week series' time in Node).
  const keyOf = (row: SizeRow) => `${row.stage}\u0000${row.position}\u0000${row.currency}`;
  const running = new Map<string, RunningSize>();
  const fromFirst = groupBy(dayRows, (row) => row.first);
  const edgesOf = groupBy(edgeRows, (row) => row.bucket);
  return instants.map((_instant, index) => {
    for (const row of fromFirst.get(index + 1) ?? []) addSize(running, keyOf(row), row);
    // addSize replaces a total rather than changing it, so the instant's edges leave the running totals as they were.
    const totals = new Map(running);
    for (const row of edgesOf.get(index + 1) ?? []) addSize(totals, keyOf(row), row);
    const rows: SizeRow[] = [...totals.values()]
      .filter((total) => total.count !== 0)
      .map((total) => ({ ...total, amount: total.amount.toString(), weighted: total.weighted.toString() }));
    return assembleSize(
      rows.sort((a, b) => (a.position ?? Number.MAX_SAFE_INTEGER) - (b.position ?? Number.MAX_SAFE_INTEGER) || a.stage.localeCompare(b.stage)),
    );
  });
}

interface RunningSize extends Omit<SizeRow, 'amount' | 'weighted'> {
  amount: Decimal;
  weighted: Decimal;
}

// numeric text from PostgreSQL, added exactly.
function addSize(totals: Map<string, RunningSize>, key: string, row: SizeRow): void {
  const total = totals.get(key);
  if (!total) {
    const { stage, position, currency, count } = row;
    totals.set(key, { stage, position, currency, count, amount: new Decimal(row.amount ?? 0), weighted: new Decimal(row.weighted ?? 0) });
    return;
  }
  totals.set(key, { ...total, count: total.count + row.count, amount: total.amount.plus(row.amount ?? 0), weighted: total.weighted.plus(row.weighted ?? 0) });
}

function groupBy<Row, Key>(rows: Row[], key: (row: Row) => Key): Map<Key, Row[]> {
  const groups = new Map<Key, Row[]>();
  for (const row of rows) {
    const group = groups.get(key(row));
    if (group) group.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}

export interface ClosedKpis {
  closed: Array<{ won: number; lost: number }>;
  averages: Money[][];
  cycles: CycleStats[];
}

// Won and lost counts, average won amount per currency and cycle times per period, from closed opportunities by day.
export async function rollupClosed(
  manager: EntityManager,
  scope: MetricsScope,
  grain: Grain,
  periods: MetricsPeriod[],
  exactLimit: number,
): Promise<ClosedKpis> {
  const parameters = new SqlParameters();
  const closedDay = grain === 0 ? dayBucketing(periods, parameters) : { bucket: '1', within: 'true' };
  const rows: Array<{
    bucket: number;
    won: boolean;
    currency: string | null;
    n: number;
    with_amount: number;
    amount: string;
    average: string | null;
    cycles: number;
    seconds: string;
  }> = await manager.query(
    `SELECT ${closedDay.bucket} AS bucket, r.flag AS won, r.currency, sum(r.n)::int AS n, sum(r.n2)::int AS with_amount, sum(r.amount) AS amount,
            CASE WHEN sum(r.n2) > 0 THEN sum(r.amount) / sum(r.n2) END AS average, sum(r.weighted)::int AS cycles, sum(r.seconds) AS seconds
       FROM ${kpiRows(grain, [FAMILY.closed])} r WHERE ${opportunityConditions(scope, parameters, 'r')} AND ${closedDay.within}
      GROUP BY 1, 2, 3 ORDER BY 1, 3`,
    parameters.values,
  );
  const cycleValues = rows.filter((row) => row.won).reduce((sum, row) => sum + row.cycles, 0);
  const exact = grain === 2 || cycleValues <= exactLimit;
  const percentiles: Array<{ median: number | null; p90: number | null }> = exact
    ? (await cycleStats(manager, scope, periods)).map((stats) => ({ median: stats.medianDays, p90: stats.p90Days }))
    : await histogramCycles(manager, scope, grain, periods);
  return {
    closed: perPeriod(periods, rows, (mine) => ({
      won: mine.filter((row) => row.won).reduce((sum, row) => sum + row.n, 0),
      lost: mine.filter((row) => !row.won).reduce((sum, row) => sum + row.n, 0),
    })),
    averages: perPeriod(periods, rows, (mine) =>
      mine.filter((row) => row.won && row.with_amount > 0 && row.currency).map((row) => money(row.average as string, (row.currency as string).trim())),
    ),
    cycles: perPeriod(periods, rows, (mine) => {
      const won = mine.filter((row) => row.won);
      const count = won.reduce((sum, row) => sum + row.n, 0);
      const values = won.reduce((sum, row) => sum + row.cycles, 0);
      const seconds = won.reduce((sum, row) => sum + Number(row.seconds), 0);
      return { count, meanDays: values === 0 ? null : seconds / values / 86_400, medianDays: null, p90Days: null };
    }).map((stats, index) => (stats.count === 0 ? stats : { ...stats, medianDays: percentiles[index].median, p90Days: percentiles[index].p90 })),
  };
}

async function histogramCycles(manager: EntityManager, scope: MetricsScope, grain: Grain, periods: MetricsPeriod[]) {
  const parameters = new SqlParameters();
  const closedDay = grain === 0 ? dayBucketing(periods, parameters) : { bucket: '1', within: 'true' };
  const rows: Array<{ bucket: number; k: number; n: number }> = await manager.query(
    `SELECT ${closedDay.bucket} AS bucket, r.k, sum(r.n)::int AS n FROM ${kpiRows(grain, [FAMILY.cycle])} r
      WHERE ${opportunityConditions(scope, parameters, 'r')} AND ${closedDay.within} GROUP BY 1, 2 HAVING sum(r.n) <> 0`,
    parameters.values,
  );
  return perPeriod(periods, rows, (mine) => {
    const buckets: BucketCount[] = mine.map((row) => ({ bucket: row.k, count: row.n }));
    return { median: histogramPercentile(buckets, 0.5), p90: histogramPercentile(buckets, 0.9) };
  });
}

// As stageConversions: stages present in scope give the pairs (materialized: the join rescans them per rollup row; the
// scope is applied where the rows are read, so an owner's are found by the owner index); stays first entered in the period count as entered, and
// as advanced when the furthest non-lost position reached later is at least the next stage's.
export async function rollupConversions(manager: EntityManager, scope: MetricsScope, grain: Grain, periods: MetricsPeriod[]): Promise<StageConversion[][]> {
  const parameters = new SqlParameters();
  const where = opportunityConditions(scope, parameters, 'r');
  const entered = grain === 0 ? dayBucketing(periods, parameters) : { bucket: '1', within: 'true', start: () => null };
  const periodStart = entered.start();
  const firstInPeriod = periodStart ? `(r.flag OR r.prev_day < ${periodStart})` : 'r.flag';
  const rows: Array<{ bucket: number; from_stage: string; to_stage: string; from_position: number; entered: number; advanced: number }> = await manager.query(
    `WITH r AS (SELECT * FROM ${kpiRows(grain, [FAMILY.presence, FAMILY.conversion])} r WHERE ${where}),
       present AS (
         SELECT r.stay_pipeline_id, r.stage, r.position FROM r WHERE r.family = ${FAMILY.presence} GROUP BY 1, 2, 3 HAVING sum(r.n) > 0),
       stages AS (SELECT stay_pipeline_id AS pipeline_id, stage, max(position) AS position FROM present GROUP BY 1, 2),
       pairs AS MATERIALIZED (
         SELECT pipeline_id, stage AS from_stage, position AS from_position,
                lead(stage) OVER (PARTITION BY pipeline_id ORDER BY position) AS to_stage,
                lead(position) OVER (PARTITION BY pipeline_id ORDER BY position) AS to_position
           FROM stages)
     SELECT ${entered.bucket} AS bucket, p.from_stage, p.to_stage, min(p.from_position) AS from_position, sum(r.n)::int AS entered,
            coalesce(sum(r.n) FILTER (WHERE r.k >= p.to_position), 0)::int AS advanced
       FROM r JOIN pairs p ON p.pipeline_id = r.stay_pipeline_id AND p.from_stage = r.stage AND p.to_stage IS NOT NULL
      WHERE r.family = ${FAMILY.conversion} AND ${entered.within} AND ${firstInPeriod}
      GROUP BY 1, p.from_stage, p.to_stage HAVING sum(r.n) <> 0 ORDER BY 1, 4, 2`,
    parameters.values,
  );
  return perPeriod(periods, rows, (mine) =>
    mine.map((row) => ({
      fromStage: row.from_stage,
      toStage: row.to_stage,
      entered: row.entered,
      advanced: row.advanced,
      rate: row.entered === 0 ? null : row.advanced / row.entered,
    })),
  );
}

interface StageStats {
  stage: string;
  openCount: number;
  openPosition: number | null;
  dwellPosition: number | null;
  dwell: BucketCount[];
  dwellValues: number;
  // grain 0: open opportunities by the day they entered the stage
  openByDay: Array<{ day: string; n: number }>;
}

// As bottlenecks: dwell percentiles of finished stays per stage, open opportunities now, and at each instant how many of
// them have been in their stage longer than its usual time (p75).
export async function rollupBottlenecks(
  manager: EntityManager,
  scope: MetricsScope,
  asked: Grain,
  instants: Date[],
  exactLimit: number,
): Promise<StageBottleneck[][]> {
  if (instants.length === 0) return [];
  // A series counts stalls at many instants from the open opportunities of every day (grain 0); one instant needs only
  // the days after its threshold, read there, so pipelineMetrics reads the all-time grain (3) otherwise.
  const grain = asked === 3 && instants.length > 1 ? 0 : asked;
  const parameters = new SqlParameters();
  const families = grain === 2 ? [FAMILY.open] : [FAMILY.open, FAMILY.dwell];
  const rows: Array<{ family: number; stage: string; position: number | null; k: number | null; day: string | null; n: number }> = await manager.query(
    `SELECT r.family, r.stage, r.position, r.k, CASE WHEN r.family = ${FAMILY.open} AND ${grain} = 0 THEN to_char(r.day, 'YYYY-MM-DD') END AS day, sum(r.n)::int AS n
       FROM ${kpiRows(grain, families)} r WHERE ${opportunityConditions(scope, parameters, 'r')} GROUP BY 1, 2, 3, 4, 5 HAVING sum(r.n) <> 0`,
    parameters.values,
  );
  const stages = new Map<string, StageStats>();
  const statsOf = (stage: string) => {
    const entry = stages.get(stage) ?? { stage, openCount: 0, openPosition: null, dwellPosition: null, dwell: [], dwellValues: 0, openByDay: [] };
    stages.set(stage, entry);
    return entry;
  };
  for (const row of rows) {
    const entry = statsOf(row.stage);
    if (row.family === FAMILY.open) {
      entry.openCount += row.n;
      if (row.position !== null) entry.openPosition = entry.openPosition === null ? row.position : Math.min(entry.openPosition, row.position);
      if (row.day) entry.openByDay.push({ day: row.day, n: row.n });
    } else {
      entry.dwell.push({ bucket: row.k as number, count: row.n });
      entry.dwellValues += row.n;
      if (row.position !== null) entry.dwellPosition = entry.dwellPosition === null ? row.position : Math.max(entry.dwellPosition, row.position);
    }
  }
  const totalDwellValues = [...stages.values()].reduce((sum, entry) => sum + entry.dwellValues, 0);
  const percentiles = new Map<string, Array<number | null>>();
  if (grain === 2 || totalDwellValues <= exactLimit) {
    for (const row of await exactDwell(manager, scope)) {
      percentiles.set(row.stage, row.percentiles.map(num));
      const entry = statsOf(row.stage);
      entry.dwellPosition = row.position;
      entry.dwellValues = 1;
    }
  } else {
    for (const entry of stages.values())
      if (entry.dwellValues > 0)
        percentiles.set(
          entry.stage,
          [0.5, 0.75, 0.9].map((p) => histogramPercentile(entry.dwell, p)),
        );
  }
  const listed = [...stages.values()].filter((entry) => entry.openCount !== 0 || percentiles.has(entry.stage));
  const stalled = await stalledCounts(
    manager,
    scope,
    grain,
    instants,
    listed.flatMap((entry) =>
      percentiles.get(entry.stage)?.[1] === null || !percentiles.has(entry.stage) ? [] : [{ entry, usual: percentiles.get(entry.stage)?.[1] as number }],
    ),
  );
  const ordered = listed
    .map((entry) => ({ entry, position: entry.openPosition ?? entry.dwellPosition }))
    .sort((a, b) => (a.position ?? Number.MAX_SAFE_INTEGER) - (b.position ?? Number.MAX_SAFE_INTEGER) || a.entry.stage.localeCompare(b.entry.stage));
  return instants.map((_instant, index) =>
    ordered.map(({ entry }) => {
      const [median, usual, p90] = percentiles.get(entry.stage) ?? [null, null, null];
      return {
        stage: entry.stage,
        openCount: entry.openCount,
        medianDaysInStage: median,
        usualDaysInStage: usual,
        p90DaysInStage: p90,
        stalledCount: stalled.get(`${index + 1}\u0000${entry.stage}`) ?? 0,
      };
    }),
  );
}

// Exactly as the facts give them (percentile_cont), for scopes with few finished stays.
async function exactDwell(manager: EntityManager, scope: MetricsScope): Promise<Array<{ stage: string; position: number | null; percentiles: number[] }>> {
  const parameters = new SqlParameters();
  const where = opportunityConditions(scope, parameters);
  // A few owners' stays are looked up per opportunity (their key); a join would hash every stay of every owner.
  const byOwner = Boolean(scope.ownerIds?.length || scope.teamId || scope.visibility.kind === 'own');
  const stays =
    where === UNRESTRICTED
      ? UNRESTRICTED_STAYS
      : byOwner
        ? 'opportunity_fact f CROSS JOIN LATERAL (SELECT * FROM stage_interval WHERE opportunity_id = f.opportunity_id OFFSET 0) i'
        : 'stage_interval i JOIN opportunity_fact f ON f.opportunity_id = i.opportunity_id';
  return manager.query(
    `SELECT i.stage, max(i.position) AS position,
            percentile_cont(ARRAY[0.5, 0.75, 0.9]::double precision[]) WITHIN GROUP (ORDER BY extract(epoch FROM i.left_at - i.entered_at) / 86400) AS percentiles
       FROM ${stays} WHERE ${where} AND i.category = 'OPEN' AND i.left_at IS NOT NULL GROUP BY i.stage`,
    parameters.values,
  );
}

// Open opportunities in a stage for longer than its usual time at an instant, i.e. entered before (instant - usual):
// grain 0 (a series) adds the days before the threshold's from the rollup, that day's earlier hours and, from the facts,
// the threshold's hour; grain 3 (one instant) takes the open count less the days after the threshold's, its later hours
// and the facts of its hour, a few rows; grains 1 and 2 take the open count less, from the facts, those entered since.
async function stalledCounts(
  manager: EntityManager,
  scope: MetricsScope,
  grain: Grain,
  instants: Date[],
  stages: Array<{ entry: StageStats; usual: number }>,
): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  if (stages.length === 0) return result;
  const pairs = instants.flatMap((instant, index) =>
    stages.map(({ entry, usual }) => ({ bucket: index + 1, stage: entry.stage, at: instant.toISOString(), usual })),
  );
  const parameters = new SqlParameters();
  const m = `unnest(${parameters.add(pairs.map((pair) => pair.bucket))}::int[], ${parameters.add(pairs.map((pair) => pair.stage))}::text[], ${parameters.add(pairs.map((pair) => pair.at))}::timestamptz[], ${parameters.add(pairs.map((pair) => pair.usual))}::float8[]) AS m(bucket, stage, at, usual)`;
  const past = `extract(epoch FROM m.at - f.stage_entered_at) / 86400 > m.usual`;
  // The threshold instant, give or take a second of rounding, bounds the index ranges; `past` stays the exact test. For a
  // team the range is looked up alone (fenced by OFFSET 0) and the team filters what it finds: given both, the planner
  // also read the owner index for the whole team (97,661 entries at 1,000,000 opportunities, 24 of the statement's 31 ms)
  // to AND it with the few hundred entries of the range. A rep's own index entries are few: there it stays the better path.
  const team = Boolean(scope.teamId) || scope.visibility.kind === 'team';
  const facts = (range: string) =>
    team
      ? `(SELECT count(*) FROM (SELECT * FROM opportunity_fact f WHERE f.status = 'OPEN' AND f.stage = m.stage AND ${range} OFFSET 0) f WHERE ${opportunityConditions(scope, parameters)})`
      : `(SELECT count(*) FROM opportunity_fact f WHERE f.status = 'OPEN' AND f.stage = m.stage AND ${range} AND ${opportunityConditions(scope, parameters)})`;
  const rolled = (family: Family, condition: string) =>
    `(SELECT coalesce(sum(r.n), 0) FROM ${kpiRows(0, [family])} r WHERE r.stage = m.stage AND ${condition} AND ${opportunityConditions(scope, parameters, 'r')})`;
  const hour = `f.stage_entered_at < m.hour_start + interval '1 hour'`;
  const counted =
    grain === 0
      ? // stalled: the days before the threshold's (added from openByDay), its earlier hours, and its hour's past ones
        `${facts(`f.stage_entered_at >= m.hour_start AND f.stage_entered_at < least(m.hour_start + interval '1 hour', m.threshold + interval '1 second') AND ${past}`)}
         + ${rolled(FAMILY.openHour, 'r.day = m.threshold_day AND r.k < m.hour')}`
      : grain === 3
        ? // not stalled: its hour's ones not past, its later hours, and the days after it
          `${facts(`f.stage_entered_at >= greatest(m.hour_start, m.threshold - interval '1 second') AND ${hour} AND NOT (${past})`)}
           + ${rolled(FAMILY.openHour, 'r.day = m.threshold_day AND r.k > m.hour')} + ${rolled(FAMILY.open, 'r.day > m.threshold_day')}`
        : // not stalled: from the facts, all entered since the threshold's day began
          facts(`f.stage_entered_at >= greatest(m.day_start, m.threshold - interval '1 second') AND NOT (${past})`);
  const rows: Array<{ bucket: number; stage: string; threshold_day: string; counted: number }> = await manager.query(
    `WITH t AS (SELECT m.*, m.at - make_interval(secs => m.usual * 86400) AS threshold FROM ${m}),
       m AS (SELECT t.*, date_trunc('day', t.threshold AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day_start,
                    date_trunc('hour', t.threshold AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour_start,
                    (t.threshold AT TIME ZONE 'UTC')::date AS threshold_day, extract(hour FROM t.threshold AT TIME ZONE 'UTC')::integer AS hour FROM t)
     SELECT m.bucket, m.stage, to_char(m.threshold_day, 'YYYY-MM-DD') AS threshold_day, (${counted})::int AS counted FROM m`,
    parameters.values,
  );
  const byStage = new Map(stages.map(({ entry }) => [entry.stage, { entry, openBefore: openBeforeDay(entry.openByDay) }]));
  for (const row of rows) {
    const { entry, openBefore } = byStage.get(row.stage) as { entry: StageStats; openBefore: (day: string) => number };
    const counted = grain === 0 ? openBefore(row.threshold_day) + row.counted : entry.openCount - row.counted;
    result.set(`${row.bucket}\u0000${row.stage}`, counted);
  }
  return result;
}

// Open opportunities that entered their stage before a day, by a binary search over running totals of the days (a series
// asks this for every stage at each of its instants).
function openBeforeDay(openByDay: Array<{ day: string; n: number }>): (day: string) => number {
  const days = [...openByDay].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const totals: number[] = [];
  for (const [index, day] of days.entries()) totals.push((totals[index - 1] ?? 0) + day.n);
  return (day) => {
    let low = 0;
    let high = days.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (days[middle].day < day) low = middle + 1;
      else high = middle;
    }
    return low === 0 ? 0 : totals[low - 1];
  };
}

export async function rollupLeadConversion(
  manager: EntityManager,
  scope: MetricsScope,
  grain: Grain,
  periods: MetricsPeriod[],
): Promise<LeadSourceConversion[][]> {
  const parameters = new SqlParameters();
  const conditions = ['true'];
  if (scope.source) conditions.push(`r.lead_source = ${parameters.add(scope.source)}`);
  if (scope.industry) conditions.push(`r.industry = lower(${parameters.add(scope.industry)})`);
  if (scope.ownerIds?.length) conditions.push(`r.owner_id = ANY(${parameters.add(scope.ownerIds)}::uuid[])`);
  if (scope.teamId) conditions.push(`r.owner_id = ANY(${teamMembers(parameters.add(scope.teamId))})`);
  conditions.push(visibleTo(scope, parameters, 'r.owner_id'));
  const created = grain === 0 ? dayBucketing(periods, parameters) : { bucket: '1', within: 'true' };
  const rows: Array<{ bucket: number; source: LeadSource; leads: number; converted: number }> = await manager.query(
    `SELECT ${created.bucket} AS bucket, r.lead_source AS source, sum(r.n)::int AS leads, sum(r.n2)::int AS converted
       FROM ${kpiRows(grain, [FAMILY.lead])} r WHERE ${conditions.join(' AND ')} AND ${created.within} GROUP BY 1, 2 HAVING sum(r.n) <> 0 ORDER BY 1, 2`,
    parameters.values,
  );
  return perPeriod(periods, rows, (mine) =>
    mine.map(({ source, leads, converted }) => ({ source, leads, converted, rate: leads === 0 ? null : converted / leads })),
  );
}
