import type { EntityManager } from 'typeorm';

import { bucketSql } from '../domain/histogram';

// KPI rollups. Every KPI is a sum over opportunities (and leads) of what each contributes in its current state: one open
// opportunity adds 1 and its amounts to its stage, a won one its cycle time to a histogram, a stay its dwell time, and
// so on. A projection that changes opportunities records, in its own transaction, their contributions before the change
// with sign -1 and after it with sign +1 (kpi_*_delta). Folding sums those signed rows into kpi_rollup per grain:
//   grain 0: pipeline × UTC day (unfiltered KPIs, any whole-day period, series);
//   grain 1: pipeline × owner, all time (owner and team filters, a REP's or MANAGER's own view);
//   grain 2: pipeline × owner × industry × lead source, all time (industry and source filters);
//   grain 3: pipeline, all time (unfiltered KPIs over all time: histograms and conversions without a row per day).
// Grain 0 also keeps open opportunities by the hour they entered their stage: a stalled count at an instant then reads
// the facts of one hour, not of one day.
// So a KPI reads O(groups): the folded rows of its grain plus the few contributions not folded yet. Being differences of
// states, the rollups are order-tolerant and idempotent exactly as the projections they follow are.
export const FAMILY = {
  // open opportunities now: stage, position, currency (grain 0: by day entered into the stage)
  open: 1,
  // closed opportunities: flag = won; by day closed, currency; won amounts, cycle counts and seconds
  closed: 2,
  // won cycle times: k = histogram bucket, by day closed
  cycle: 3,
  // open stays as of a day (grain 0 only): +1 on the day entered, -1 on the day left; current amounts
  stay: 4,
  // stays entered in an OPEN stage: k = furthest non-lost position reached later, flag = first entry, prev_day = previous entry
  conversion: 5,
  // stages reached (non-lost, with a position), all time: which stage follows which
  presence: 6,
  // finished OPEN stays: k = histogram bucket of days in stage, all time
  dwell: 7,
  // leads: by day created, source; n2 = converted
  lead: 8,
  // open opportunities now (grain 0 only): stage, k = UTC hour of the day entered into the stage
  openHour: 9,
} as const;
export type Family = (typeof FAMILY)[keyof typeof FAMILY];
export type Grain = 0 | 1 | 2 | 3;

const day = (column: string) => `(${column} AT TIME ZONE 'UTC')::date`;
const days = (interval: string) => `(extract(epoch FROM ${interval})::float8 / 86400)`;

const COLUMNS =
  'family, pipeline_id, owner_id, industry, lead_source, day, stay_pipeline_id, stage, position, currency, k, prev_day, flag, n, n2, amount, weighted, seconds';
const KEYS = ['stay_pipeline_id', 'stage', 'position', 'currency', 'k', 'prev_day', 'flag'] as const;
const MEASURES = ['n', 'n2', 'amount', 'weighted', 'seconds'] as const;
const NULLS: Record<string, string> = {
  pipeline_id: 'NULL::uuid',
  owner_id: 'NULL::uuid',
  industry: 'NULL::text',
  lead_source: 'NULL::text',
  day: 'NULL::date',
  stay_pipeline_id: 'NULL::uuid',
  stage: 'NULL::text',
  position: 'NULL::integer',
  currency: 'NULL::char(3)',
  k: 'NULL::integer',
  prev_day: 'NULL::date',
  flag: 'NULL::boolean',
};
const ZERO: Record<string, string> = { n: '0::bigint', n2: '0::bigint', amount: '0::numeric', weighted: '0::numeric', seconds: '0::numeric' };

export interface Sources {
  facts: string;
  stays: string;
  leads: string;
}

// What one family contributes per row of its source: dimensions, keys (absent ones are null) and signed measures.
interface FamilySpec {
  from(sources: Sources): string;
  where: string;
  dimensions: { pipeline_id: string; owner_id: string; industry: string; lead_source: string; day: string | null };
  keys: Partial<Record<(typeof KEYS)[number], string>>;
  measures: Partial<Record<(typeof MEASURES)[number], string>>;
}

const FACT = { pipeline_id: 'f.pipeline_id', owner_id: 'f.owner_id', industry: 'f.industry', lead_source: 'f.lead_source' };
const STAY = { pipeline_id: 's.pipeline_id', owner_id: 's.owner_id', industry: 's.industry', lead_source: 's.lead_source' };
const WON = `f.status = 'WON'`;
const SPECS: Record<Family, FamilySpec> = {
  [FAMILY.open]: {
    from: ({ facts }) => `${facts} f`,
    where: `f.status = 'OPEN'`,
    dimensions: { ...FACT, day: day('f.stage_entered_at') },
    keys: { stage: 'f.stage', position: 'f.stage_position', currency: 'f.currency' },
    measures: { n: 'f.sign', amount: 'f.sign * coalesce(f.amount, 0)', weighted: 'f.sign * coalesce(f.weighted, 0)' },
  },
  [FAMILY.closed]: {
    from: ({ facts }) => `${facts} f`,
    where: `f.status IN ('WON', 'LOST')`,
    dimensions: { ...FACT, day: day('f.closed_at') },
    keys: { currency: 'f.currency', flag: WON },
    measures: {
      n: 'f.sign',
      n2: `CASE WHEN ${WON} AND f.amount IS NOT NULL THEN f.sign ELSE 0 END`,
      amount: `CASE WHEN ${WON} THEN f.sign * coalesce(f.amount, 0) ELSE 0 END`,
      weighted: `CASE WHEN ${WON} AND f.closed_at IS NOT NULL THEN f.sign ELSE 0 END`,
      seconds: `CASE WHEN ${WON} AND f.closed_at IS NOT NULL THEN f.sign * extract(epoch FROM f.closed_at - f.created_at) ELSE 0 END`,
    },
  },
  [FAMILY.cycle]: {
    from: ({ facts }) => `${facts} f`,
    where: `${WON} AND f.closed_at IS NOT NULL`,
    dimensions: { ...FACT, day: day('f.closed_at') },
    keys: { k: bucketSql(days('f.closed_at - f.created_at')) },
    measures: { n: 'f.sign' },
  },
  [FAMILY.stay]: {
    from: ({ stays }) => `${stays} s CROSS JOIN LATERAL (VALUES (1, ${day('s.entered_at')}), (-1, ${day('s.left_at')})) AS e(sign, day)`,
    where: `s.category = 'OPEN' AND (e.sign = 1 OR s.left_at IS NOT NULL)`,
    dimensions: { ...STAY, day: 'e.day' },
    keys: { stage: 's.stage', position: 's.position', currency: 's.currency' },
    measures: { n: 'e.sign * s.sign', amount: 'e.sign * s.sign * coalesce(s.amount, 0)', weighted: 'e.sign * s.sign * coalesce(s.weighted, 0)' },
  },
  [FAMILY.conversion]: {
    from: ({ stays }) => `${stays} s`,
    where: `s.category = 'OPEN'`,
    dimensions: { ...STAY, day: day('s.entered_at') },
    keys: {
      stay_pipeline_id: 's.stay_pipeline_id',
      stage: 's.stage',
      position: 's.position',
      k: 's.later_position',
      prev_day: day('s.previous_entry_at'),
      flag: 's.previous_entry_at IS NULL',
    },
    measures: { n: 's.sign' },
  },
  [FAMILY.presence]: {
    from: ({ stays }) => `${stays} s`,
    where: `s.category <> 'LOST' AND s.position IS NOT NULL`,
    dimensions: { ...STAY, day: null },
    keys: { stay_pipeline_id: 's.stay_pipeline_id', stage: 's.stage', position: 's.position' },
    measures: { n: 's.sign' },
  },
  [FAMILY.dwell]: {
    from: ({ stays }) => `${stays} s`,
    where: `s.category = 'OPEN' AND s.left_at IS NOT NULL`,
    dimensions: { ...STAY, day: null },
    keys: { stage: 's.stage', position: 's.position', k: bucketSql(days('s.left_at - s.entered_at')) },
    measures: { n: 's.sign' },
  },
  [FAMILY.openHour]: {
    from: ({ facts }) => `${facts} f`,
    where: `f.status = 'OPEN'`,
    dimensions: { ...FACT, day: day('f.stage_entered_at') },
    keys: { stage: 'f.stage', k: `extract(hour FROM f.stage_entered_at AT TIME ZONE 'UTC')::integer` },
    measures: { n: 'f.sign' },
  },
  [FAMILY.lead]: {
    from: ({ leads }) => `${leads} l`,
    where: 'true',
    dimensions: { pipeline_id: 'NULL::uuid', owner_id: 'l.owner_id', industry: 'l.industry', lead_source: 'l.lead_source', day: day('l.created_at') },
    keys: {},
    measures: { n: 'l.sign', n2: 'CASE WHEN l.converted THEN l.sign ELSE 0 END' },
  },
};

const DELTA_TABLES: Sources = { facts: 'kpi_fact_delta', stays: 'kpi_stay_delta', leads: 'kpi_lead_delta' };

// The signed contributions of the recorded rows at the finest grain (every dimension filled), for the families asked.
export function contributionsSql(families: readonly Family[], sources: Sources = DELTA_TABLES): string {
  return families
    .map((family) => {
      const spec = SPECS[family];
      const dimensions = spec.dimensions;
      const columns = [
        `${family}::smallint`,
        dimensions.pipeline_id,
        dimensions.owner_id,
        dimensions.industry,
        dimensions.lead_source,
        dimensions.day ?? NULLS.day,
        ...KEYS.map((key) => spec.keys[key] ?? NULLS[key]),
        ...MEASURES.map((measure) =>
          spec.measures[measure] ? `(${spec.measures[measure]})::${measure.startsWith('n') ? 'bigint' : 'numeric'}` : ZERO[measure],
        ),
      ];
      return `SELECT ${columns.join(', ')} FROM ${spec.from(sources)} WHERE ${spec.where}`;
    })
    .join('\n UNION ALL ');
}

const inGrain = (grain: Grain, family: Family) =>
  grain === 0 || (family !== FAMILY.stay && family !== FAMILY.openHour && (grain !== 2 || (family !== FAMILY.cycle && family !== FAMILY.dwell)));

// One family summed at one grain: only its own keys and the grain's dimensions are grouped.
function grainSql(grain: Grain, family: Family, sources: Sources): string {
  const spec = SPECS[family];
  const dimensions = spec.dimensions;
  const grouped: string[] = [];
  const column = (expression: string | null | undefined, nullType: string, keep: boolean) => {
    if (!keep || !expression) return nullType;
    grouped.push(expression);
    return expression;
  };
  const columns = [
    String(grain),
    String(family),
    column(dimensions.pipeline_id === 'NULL::uuid' ? null : dimensions.pipeline_id, NULLS.pipeline_id, true),
    column(dimensions.owner_id, NULLS.owner_id, grain === 1 || grain === 2),
    column(dimensions.industry, NULLS.industry, grain === 2),
    column(dimensions.lead_source, NULLS.lead_source, grain === 2 || family === FAMILY.lead),
    column(dimensions.day, NULLS.day, grain === 0),
    ...KEYS.map((key) => column(spec.keys[key], NULLS[key], key !== 'prev_day' || grain === 0)),
    ...MEASURES.map((measure) => (spec.measures[measure] ? `sum(${spec.measures[measure]})` : ZERO[measure])),
  ];
  return `SELECT ${columns.join(', ')} FROM ${spec.from(sources)} WHERE ${spec.where} GROUP BY ${grouped.join(', ')}`;
}

// The rows a KPI of `families` reads at a grain: folded rollups plus the contributions not folded yet (a subquery with
// the columns of COLUMNS). Dimensions outside the grain are null in folded rows; filters use only the grain's.
export function kpiRows(grain: Grain, families: readonly Family[]): string {
  const wanted = families.filter((family) => inGrain(grain, family));
  return `(SELECT ${COLUMNS} FROM kpi_rollup WHERE grain = ${grain} AND family IN (${wanted.join(', ')})
    UNION ALL SELECT * FROM (${contributionsSql(wanted)}) AS pending(${COLUMNS}))`;
}

// Every family summed at every grain over rows shaped like the delta tables (the fold's input; tests compare with it).
export function grainSumsSql(sources: Sources): string {
  return ([0, 1, 2, 3] as Grain[])
    .flatMap((grain) => (Object.values(FAMILY) as Family[]).filter((family) => inGrain(grain, family)).map((family) => grainSql(grain, family, sources)))
    .join('\n UNION ALL ');
}

const FINEST = 'family, pipeline_id, owner_id, industry, lead_source, day, stay_pipeline_id, stage, position, currency, k, prev_day, flag';
const ALL_FAMILIES = Object.values(FAMILY) as Family[];

// As grainSumsSql, computed once per contribution instead of once per grain and family: the contributions are summed at
// the finest grain first (a projection's -1 and +1 of an unchanged part cancel there and are dropped), then each grain
// sums those few rows. Sums are exact, so the result equals grainSumsSql's up to the groups that sum to zero.
function foldedSumsSql(sources: Sources): string {
  const grains = ([0, 1, 2, 3] as Grain[]).map((grain) => {
    const columns = [
      String(grain),
      'family',
      'pipeline_id',
      grain === 1 || grain === 2 ? 'owner_id' : NULLS.owner_id,
      grain === 2 ? 'industry' : NULLS.industry,
      grain === 2 ? 'lead_source' : `CASE WHEN family = ${FAMILY.lead} THEN lead_source END`,
      grain === 0 ? 'day' : NULLS.day,
      'stay_pipeline_id, stage, position, currency, k',
      grain === 0 ? 'prev_day' : NULLS.prev_day,
      'flag, sum(n)::bigint, sum(n2)::bigint, sum(amount), sum(weighted), sum(seconds)',
    ];
    const families = ALL_FAMILIES.filter((family) => inGrain(grain, family));
    return `SELECT ${columns.join(', ')} FROM finest WHERE family IN (${families.join(', ')}) GROUP BY ${Array.from({ length: 13 }, (_, index) => index + 2).join(', ')}`;
  });
  return `WITH finest AS MATERIALIZED (
      SELECT ${FINEST}, sum(n) AS n, sum(n2) AS n2, sum(amount) AS amount, sum(weighted) AS weighted, sum(seconds) AS seconds
        FROM (${contributionsSql(ALL_FAMILIES, sources)}) AS c(${COLUMNS}) GROUP BY ${FINEST}
      HAVING sum(n) <> 0 OR sum(n2) <> 0 OR sum(amount) <> 0 OR sum(weighted) <> 0 OR sum(seconds) <> 0)
    ${grains.join(' UNION ALL ')}`;
}

export const FOLD_LOCK = 7_401_190_002;
// Reading a state and writing its difference are two statements: transactions that project the same opportunity or lead
// (on any replica, for any partition) take turns, so no two record the same "before". A small projection holds this
// lock shared and one lock per id (the two-key form, so ids that are not rows yet are covered too); a large one, a
// backlog's chunk, holds it alone rather than thousands of id locks in PostgreSQL's shared lock table.
export const PROJECTION_LOCK = 7_401_190_003;
const ID_LOCKS_AT_MOST = 200;
const OPPORTUNITY_LOCKS = 7_401;
const LEAD_LOCKS = 7_402;

async function lockProjected(manager: EntityManager, opportunityIds: string[], leadIds: string[]): Promise<void> {
  if (opportunityIds.length + leadIds.length === 0) return;
  if (opportunityIds.length + leadIds.length > ID_LOCKS_AT_MOST) {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [PROJECTION_LOCK]);
    return;
  }
  await manager.query('SELECT pg_advisory_xact_lock_shared($1)', [PROJECTION_LOCK]);
  // In one order for every transaction, so two that share ids never wait for each other in a cycle.
  await manager.query(
    `SELECT count(pg_advisory_xact_lock(kind, key)) FROM (
       SELECT DISTINCT kind, key FROM (
         SELECT $3::int AS kind, hashtext(id::text) AS key FROM unnest($1::uuid[]) AS id
         UNION ALL SELECT $4::int, hashtext(id::text) FROM unnest($2::uuid[]) AS id) ids
       ORDER BY kind, key) ordered`,
    [opportunityIds, leadIds, OPPORTUNITY_LOCKS, LEAD_LOCKS],
  );
}

// The delta tables' columns besides the sign.
const FACT_DELTA_COLUMNS =
  'pipeline_id, owner_id, industry, lead_source, status, stage, stage_position, currency, amount, weighted, created_at, stage_entered_at, closed_at';
const STAY_DELTA_COLUMNS =
  'pipeline_id, owner_id, industry, lead_source, currency, amount, weighted, stay_pipeline_id, stage, category, position, entered_at, left_at, later_position, previous_entry_at';
const LEAD_DELTA_COLUMNS = 'owner_id, industry, lead_source, created_at, converted';

// Recorded rows that are equal but for their sign, summed: a projection's "before" and "after" of what it did not change,
// and the states an opportunity passed through between two folds, cancel here instead of in every family they feed.
// Every measure is linear in the sign, so a net sign of 2 counts a row twice.
const netted = (name: string, taken: string, columns: string) =>
  `${name} AS MATERIALIZED (SELECT sum(sign)::integer AS sign, ${columns} FROM ${taken} GROUP BY ${columns} HAVING sum(sign) <> 0)`;

// Sums every recorded contribution into kpi_rollup and removes it, in the caller's transaction. Folds run one at a
// time (an advisory lock); rows recorded by transactions not committed yet stay for the next fold.
export async function foldKpiContributions(manager: EntityManager): Promise<number> {
  await manager.query('SELECT pg_advisory_xact_lock($1)', [FOLD_LOCK]);
  const [{ folded }]: Array<{ folded: number }> = await manager.query(
    `WITH taken_facts AS MATERIALIZED (DELETE FROM kpi_fact_delta RETURNING *), taken_stays AS MATERIALIZED (DELETE FROM kpi_stay_delta RETURNING *),
       taken_leads AS MATERIALIZED (DELETE FROM kpi_lead_delta RETURNING *),
       ${netted('facts', 'taken_facts', FACT_DELTA_COLUMNS)}, ${netted('stays', 'taken_stays', STAY_DELTA_COLUMNS)}, ${netted('leads', 'taken_leads', LEAD_DELTA_COLUMNS)},
       upserted AS (
         INSERT INTO kpi_rollup (grain, ${COLUMNS})
         SELECT * FROM (${foldedSumsSql({ facts: 'facts', stays: 'stays', leads: 'leads' })}) AS summed ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14
         ON CONFLICT (grain, family, pipeline_id, owner_id, industry, lead_source, day, stay_pipeline_id, stage, position, currency, k, prev_day, flag) DO UPDATE SET
           n = kpi_rollup.n + EXCLUDED.n, n2 = kpi_rollup.n2 + EXCLUDED.n2, amount = kpi_rollup.amount + EXCLUDED.amount,
           weighted = kpi_rollup.weighted + EXCLUDED.weighted, seconds = kpi_rollup.seconds + EXCLUDED.seconds
         RETURNING 1)
     SELECT (SELECT count(*) FROM taken_facts)::int + (SELECT count(*) FROM taken_stays)::int + (SELECT count(*) FROM taken_leads)::int AS folded,
            (SELECT count(*) FROM upserted)::int AS groups`,
  );
  return folded;
}

// Rows shaped like the delta tables for the current state of every opportunity and lead (sign +1), as subqueries.
export const CURRENT_STATE: Sources = {
  facts: `(SELECT 1 AS sign, f.pipeline_id, f.owner_id, lower(f.industry) AS industry, f.lead_source, f.status, f.stage, f.stage_position, f.currency, f.amount,
           f.amount * f.probability::numeric AS weighted, f.created_at, f.stage_entered_at, f.closed_at FROM opportunity_fact f WHERE NOT f.archived)`,
  stays: `(SELECT 1 AS sign, f.pipeline_id, f.owner_id, lower(f.industry) AS industry, f.lead_source, f.currency, f.amount, f.amount * f.probability::numeric AS weighted,
           i.pipeline_id AS stay_pipeline_id, i.stage, i.category, i.position, i.entered_at, i.left_at, i.later_position, i.previous_entry_at
           FROM stage_interval i JOIN opportunity_fact f ON f.opportunity_id = i.opportunity_id WHERE NOT f.archived)`,
  leads: `(SELECT 1 AS sign, l.owner_id, lower(l.industry) AS industry, l.source AS lead_source, l.created_at, l.converted_at IS NOT NULL AS converted FROM lead_fact l WHERE NOT l.archived)`,
};

// The contributions of opportunities in their current state, with a sign: -1 before a projection changes them, +1 after.
// Facts and stays in one statement (both read the same state; neither reads what the other writes).
export async function recordOpportunityContributions(manager: EntityManager, opportunityIds: string[], sign: 1 | -1): Promise<number> {
  if (opportunityIds.length === 0) return 0;
  const [{ count }]: Array<{ count: number }> = await manager.query(
    `WITH facts AS (
       INSERT INTO kpi_fact_delta (sign, ${FACT_DELTA_COLUMNS})
       SELECT $2, f.pipeline_id, f.owner_id, lower(f.industry), f.lead_source, f.status, f.stage, f.stage_position, f.currency, f.amount, f.amount * f.probability::numeric,
              f.created_at, f.stage_entered_at, f.closed_at
         FROM unnest($1::uuid[]) AS t(id) CROSS JOIN LATERAL (SELECT * FROM opportunity_fact WHERE opportunity_id = t.id AND NOT archived OFFSET 0) f RETURNING 1),
     stays AS (
       INSERT INTO kpi_stay_delta (sign, ${STAY_DELTA_COLUMNS})
       SELECT $2, f.pipeline_id, f.owner_id, lower(f.industry), f.lead_source, f.currency, f.amount, f.amount * f.probability::numeric,
              i.pipeline_id, i.stage, i.category, i.position, i.entered_at, i.left_at, i.later_position, i.previous_entry_at
         FROM unnest($1::uuid[]) AS t(id) CROSS JOIN LATERAL (SELECT * FROM opportunity_fact WHERE opportunity_id = t.id AND NOT archived OFFSET 0) f CROSS JOIN LATERAL (SELECT * FROM stage_interval WHERE opportunity_id = t.id OFFSET 0) i RETURNING 1)
     SELECT (SELECT count(*) FROM facts)::int + (SELECT count(*) FROM stays)::int AS count`,
    [opportunityIds, sign],
  );
  return count;
}

export async function recordLeadContributions(manager: EntityManager, leadIds: string[], sign: 1 | -1): Promise<number> {
  if (leadIds.length === 0) return 0;
  const [{ count }]: Array<{ count: number }> = await manager.query(
    `WITH inserted AS (
       INSERT INTO kpi_lead_delta (sign, ${LEAD_DELTA_COLUMNS})
       SELECT $2, l.owner_id, lower(l.industry), l.source, l.created_at, l.converted_at IS NOT NULL FROM unnest($1::uuid[]) AS t(id) CROSS JOIN LATERAL (SELECT * FROM lead_fact WHERE lead_id = t.id AND NOT archived OFFSET 0) l RETURNING 1)
     SELECT count(*)::int AS count FROM inserted`,
    [leadIds, sign],
  );
  return count;
}

// Contributions not folded yet, as this process counted them. The projection's transaction records them and queries
// count them from then on; the background folder (foldPendingContributions) sums them into kpi_rollup a few times a
// second, so a change of a few events pays no fold and a backlog's large chunks are folded beside their ingestion.
let pending = 0;
// Bounds what queries expand on the fly should the folder fall behind: then the projection folds itself.
const FOLD_AT_MOST = 1_000_000;

// Runs a projection between the two records of the contributions it changes.
export async function withKpiContributions(
  manager: EntityManager,
  touched: { opportunityIds?: string[]; leadIds?: string[] },
  apply: () => Promise<void>,
): Promise<void> {
  const opportunityIds = [...new Set(touched.opportunityIds ?? [])];
  const leadIds = [...new Set(touched.leadIds ?? [])];
  await lockProjected(manager, opportunityIds, leadIds);
  let recorded = (await recordOpportunityContributions(manager, opportunityIds, -1)) + (await recordLeadContributions(manager, leadIds, -1));
  await apply();
  recorded += (await recordOpportunityContributions(manager, opportunityIds, 1)) + (await recordLeadContributions(manager, leadIds, 1));
  pending += recorded;
  if (pending >= FOLD_AT_MOST) {
    await foldKpiContributions(manager);
    pending = 0;
  }
}

// Each fold updates rollup rows in place, leaving their old versions behind: at 200,000 opportunities an ingestion left
// grain 0 with 60,000 dead rows beside 80,000 live ones, and the 52-week series twice as slow (p50 225 ms, 94 ms after a
// VACUUM of 1.2 s). The grains KPI queries read are vacuumed at most this often after a fold (autovacuum may be off or
// behind); a plain VACUUM does not block the folds or the projections.
const ROLLUP_VACUUM_EVERY_MS = 60_000;
let rollupVacuumedAt = 0;

// The background folder: folds what large chunks recorded, in its own transactions, while ingestion goes on.
// Returns how many contributions it folded.
export async function foldPendingContributions(manager: EntityManager): Promise<number> {
  const [{ any }]: Array<{ any: boolean }> = await manager.query(
    'SELECT EXISTS (SELECT 1 FROM kpi_fact_delta) OR EXISTS (SELECT 1 FROM kpi_stay_delta) OR EXISTS (SELECT 1 FROM kpi_lead_delta) AS any',
  );
  if (!any) return 0;
  const folded = await manager.transaction(async (transaction) => {
    await transaction.query(`SET LOCAL work_mem = '64MB'`);
    // A backlog's fold may run past the pool's statement timeout: cancelled, it would be retried ever larger, never done.
    await transaction.query('SET LOCAL statement_timeout = 0');
    return foldKpiContributions(transaction);
  });
  pending = 0;
  // Every query scans the delta tables for what is not folded yet: emptied by DELETE they keep their pages until vacuumed,
  // and autovacuum may be off or behind (an empty table of 10,000 dead pages cost ~30 ms per scan at 200,000).
  if (folded > 0) await manager.query('VACUUM kpi_fact_delta, kpi_stay_delta, kpi_lead_delta');
  if (folded > 0 && Date.now() - rollupVacuumedAt >= ROLLUP_VACUUM_EVERY_MS) {
    rollupVacuumedAt = Date.now();
    await manager.query('VACUUM kpi_rollup_grain_0, kpi_rollup_grain_1, kpi_rollup_grain_3');
  }
  return folded;
}
