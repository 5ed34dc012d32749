import type { EntityManager } from 'typeorm';
import { bucketSql } from '../domain/histogram';

// KPI rollups. Every KPI is a sum over opportunities (and leads) of what each contributes in its current state: one open
// opportunity adds 1 and its amounts to its stage, a won one its cycle time to a histogram, a stay its dwell time, and
// so on. A projection that changes opportunities records, in its own transaction, their contributions before the change
// with sign -1 and after it with sign +1 (kpi_*_delta). Folding sums those signed rows into kpi_rollup per grain:
//   grain 0: pipeline × UTC day (unfiltered KPIs, any whole-day period, series);
//   grain 1: pipeline × owner, all time (owner and team filters, a REP's or MANAGER's own view);
//   grain 2: pipeline × owner × industry × lead source, all time (industry and source filters).
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
} as const;
export type Family = (typeof FAMILY)[keyof typeof FAMILY];
export type Grain = 0 | 1 | 2;

const TIME_KEYED = new Set<number>([FAMILY.open, FAMILY.closed, FAMILY.cycle, FAMILY.stay, FAMILY.conversion, FAMILY.lead]);
const day = (column: string) => `(${column} AT TIME ZONE 'UTC')::date`;
const days = (seconds: string) => `(extract(epoch FROM ${seconds}) / 86400)`;

const COLUMNS = 'family, pipeline_id, owner_id, industry, lead_source, day, stay_pipeline_id, stage, position, currency, k, prev_day, flag, n, n2, amount, weighted, seconds';

// The signed contributions of the rows of three relations shaped like kpi_fact_delta, kpi_stay_delta and kpi_lead_delta,
// at the finest grain (every dimension filled), for the families asked.
export function contributionsSql(families: readonly number[], sources = { facts: 'kpi_fact_delta', stays: 'kpi_stay_delta', leads: 'kpi_lead_delta' }): string {
  const { facts, stays, leads } = sources;
  const won = `f.status = 'WON'`;
  const parts: Record<number, string> = {
    [FAMILY.open]: `SELECT ${FAMILY.open}, f.pipeline_id, f.owner_id, f.industry, f.lead_source, ${day('f.stage_entered_at')}, NULL::uuid, f.stage, f.stage_position, f.currency, NULL::integer, NULL::date, NULL::boolean,
        f.sign::bigint, 0::bigint, f.sign * coalesce(f.amount, 0), f.sign * coalesce(f.weighted, 0), 0::numeric FROM ${facts} f WHERE f.status = 'OPEN'`,
    [FAMILY.closed]: `SELECT ${FAMILY.closed}, f.pipeline_id, f.owner_id, f.industry, f.lead_source, ${day('f.closed_at')}, NULL::uuid, NULL::text, NULL::integer, f.currency, NULL::integer, NULL::date, ${won},
        f.sign::bigint, CASE WHEN ${won} AND f.amount IS NOT NULL THEN f.sign ELSE 0 END::bigint, CASE WHEN ${won} THEN f.sign * coalesce(f.amount, 0) ELSE 0 END,
        CASE WHEN ${won} AND f.closed_at IS NOT NULL THEN f.sign ELSE 0 END::numeric, CASE WHEN ${won} AND f.closed_at IS NOT NULL THEN f.sign * extract(epoch FROM f.closed_at - f.created_at) ELSE 0 END
        FROM ${facts} f WHERE f.status IN ('WON', 'LOST')`,
    [FAMILY.cycle]: `SELECT ${FAMILY.cycle}, f.pipeline_id, f.owner_id, f.industry, f.lead_source, ${day('f.closed_at')}, NULL::uuid, NULL::text, NULL::integer, NULL::char(3), ${bucketSql(days('f.closed_at - f.created_at'))}, NULL::date, NULL::boolean,
        f.sign::bigint, 0::bigint, 0::numeric, 0::numeric, 0::numeric FROM ${facts} f WHERE ${won} AND f.closed_at IS NOT NULL`,
    [FAMILY.stay]: `SELECT ${FAMILY.stay}, s.pipeline_id, s.owner_id, s.industry, s.lead_source, e.day, NULL::uuid, s.stage, s.position, s.currency, NULL::integer, NULL::date, NULL::boolean,
        (e.sign * s.sign)::bigint, 0::bigint, e.sign * s.sign * coalesce(s.amount, 0), e.sign * s.sign * coalesce(s.weighted, 0), 0::numeric
        FROM ${stays} s CROSS JOIN LATERAL (VALUES (1, ${day('s.entered_at')}), (-1, ${day('s.left_at')})) AS e(sign, day)
       WHERE s.category = 'OPEN' AND (e.sign = 1 OR s.left_at IS NOT NULL)`,
    [FAMILY.conversion]: `SELECT ${FAMILY.conversion}, s.pipeline_id, s.owner_id, s.industry, s.lead_source, ${day('s.entered_at')}, s.stay_pipeline_id, s.stage, s.position, NULL::char(3), s.later_position, ${day('s.previous_entry_at')}, s.previous_entry_at IS NULL,
        s.sign::bigint, 0::bigint, 0::numeric, 0::numeric, 0::numeric FROM ${stays} s WHERE s.category = 'OPEN'`,
    [FAMILY.presence]: `SELECT ${FAMILY.presence}, s.pipeline_id, s.owner_id, s.industry, s.lead_source, NULL::date, s.stay_pipeline_id, s.stage, s.position, NULL::char(3), NULL::integer, NULL::date, NULL::boolean,
        s.sign::bigint, 0::bigint, 0::numeric, 0::numeric, 0::numeric FROM ${stays} s WHERE s.category <> 'LOST' AND s.position IS NOT NULL`,
    [FAMILY.dwell]: `SELECT ${FAMILY.dwell}, s.pipeline_id, s.owner_id, s.industry, s.lead_source, NULL::date, NULL::uuid, s.stage, s.position, NULL::char(3), ${bucketSql(days('s.left_at - s.entered_at'))}, NULL::date, NULL::boolean,
        s.sign::bigint, 0::bigint, 0::numeric, 0::numeric, 0::numeric FROM ${stays} s WHERE s.category = 'OPEN' AND s.left_at IS NOT NULL`,
    [FAMILY.lead]: `SELECT ${FAMILY.lead}, NULL::uuid, l.owner_id, l.industry, l.lead_source, ${day('l.created_at')}, NULL::uuid, NULL::text, NULL::integer, NULL::char(3), NULL::integer, NULL::date, NULL::boolean,
        l.sign::bigint, CASE WHEN l.converted THEN l.sign ELSE 0 END::bigint, 0::numeric, 0::numeric, 0::numeric FROM ${leads} l`,
  };
  return families.map((family) => parts[family]).join('\n UNION ALL ');
}

const inGrain = (grain: Grain, family: number) => grain === 0 || (family !== FAMILY.stay && (grain === 1 || (family !== FAMILY.cycle && family !== FAMILY.dwell)));

// The rows a KPI of `families` reads at a grain: folded rollups plus the contributions not folded yet (alias-free
// subquery with the columns of COLUMNS). Dimensions outside the grain are null in folded rows; filters use only the grain's.
export function kpiRows(grain: Grain, families: readonly number[]): string {
  const wanted = families.filter((family) => inGrain(grain, family));
  return `(SELECT ${COLUMNS} FROM kpi_rollup WHERE grain = ${grain} AND family IN (${wanted.join(', ')})
    UNION ALL SELECT * FROM (${contributionsSql(wanted)}) AS pending(${COLUMNS}))`;
}

export const FOLD_LOCK = 7_401_190_002;
// Reading a state and writing its difference are two statements: transactions that project (on any replica, for any
// partition) take turns, so no two record the same opportunity's "before".
export const PROJECTION_LOCK = 7_401_190_003;

// Sums every recorded contribution into kpi_rollup and removes it, in the caller's transaction. Folds run one at a
// time (an advisory lock); rows recorded by transactions not committed yet stay for the next fold.
export async function foldKpiContributions(manager: EntityManager): Promise<number> {
  await manager.query('SELECT pg_advisory_xact_lock($1)', [FOLD_LOCK]);
  const grainOf = (grain: Grain) => `SELECT ${grain} AS grain, c.* FROM contributions c WHERE c.family IN (${Object.values(FAMILY).filter((family) => inGrain(grain, family)).join(', ')})`;
  const [{ folded }]: Array<{ folded: number }> = await manager.query(
    `WITH facts AS (DELETE FROM kpi_fact_delta RETURNING *), stays AS (DELETE FROM kpi_stay_delta RETURNING *), leads AS (DELETE FROM kpi_lead_delta RETURNING *),
       contributions (${COLUMNS}) AS (${contributionsSql(Object.values(FAMILY), { facts: 'facts', stays: 'stays', leads: 'leads' })}),
       projected AS (
         SELECT p.grain, p.family, p.pipeline_id,
                CASE WHEN p.grain >= 1 THEN p.owner_id END AS owner_id,
                CASE WHEN p.grain = 2 THEN p.industry END AS industry,
                CASE WHEN p.grain = 2 OR p.family = ${FAMILY.lead} THEN p.lead_source END AS lead_source,
                CASE WHEN p.grain = 0 AND p.family IN (${[...TIME_KEYED].join(', ')}) THEN p.day END AS day,
                p.stay_pipeline_id, p.stage, p.position, p.currency, p.k,
                CASE WHEN p.grain = 0 THEN p.prev_day END AS prev_day, p.flag, p.n, p.n2, p.amount, p.weighted, p.seconds
           FROM (${grainOf(0)} UNION ALL ${grainOf(1)} UNION ALL ${grainOf(2)}) AS p(grain, ${COLUMNS})),
       upserted AS (
         INSERT INTO kpi_rollup (grain, ${COLUMNS})
         SELECT grain, family, pipeline_id, owner_id, industry, lead_source, day, stay_pipeline_id, stage, position, currency, k, prev_day, flag,
                sum(n), sum(n2), sum(amount), sum(weighted), sum(seconds)
           FROM projected GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14
         ON CONFLICT (grain, family, pipeline_id, owner_id, industry, lead_source, day, stay_pipeline_id, stage, position, currency, k, prev_day, flag) DO UPDATE SET
           n = kpi_rollup.n + EXCLUDED.n, n2 = kpi_rollup.n2 + EXCLUDED.n2, amount = kpi_rollup.amount + EXCLUDED.amount,
           weighted = kpi_rollup.weighted + EXCLUDED.weighted, seconds = kpi_rollup.seconds + EXCLUDED.seconds
         RETURNING 1)
     SELECT (SELECT count(*) FROM facts)::int + (SELECT count(*) FROM stays)::int + (SELECT count(*) FROM leads)::int AS folded, (SELECT count(*) FROM upserted)::int AS groups`,
  );
  return folded;
}

// The contributions of opportunities in their current state, with a sign: -1 before a projection changes them, +1 after.
export async function recordOpportunityContributions(manager: EntityManager, opportunityIds: string[], sign: 1 | -1): Promise<number> {
  if (opportunityIds.length === 0) return 0;
  const [facts]: Array<{ count: number }> = await manager.query(
      `WITH inserted AS (
         INSERT INTO kpi_fact_delta (sign, pipeline_id, owner_id, industry, lead_source, status, stage, stage_position, currency, amount, weighted, created_at, stage_entered_at, closed_at)
         SELECT $2, f.pipeline_id, f.owner_id, lower(f.industry), f.lead_source, f.status, f.stage, f.stage_position, f.currency, f.amount, f.amount * f.probability::numeric,
                f.created_at, f.stage_entered_at, f.closed_at
           FROM opportunity_fact f WHERE f.opportunity_id = ANY($1::uuid[]) RETURNING 1)
       SELECT count(*)::int AS count FROM inserted`,
    [opportunityIds, sign],
  );
  const [stays]: Array<{ count: number }> = await manager.query(
    `WITH inserted AS (
         INSERT INTO kpi_stay_delta (sign, pipeline_id, owner_id, industry, lead_source, currency, amount, weighted, stay_pipeline_id, stage, category, position, entered_at, left_at, later_position, previous_entry_at)
         SELECT $2, f.pipeline_id, f.owner_id, lower(f.industry), f.lead_source, f.currency, f.amount, f.amount * f.probability::numeric,
                i.pipeline_id, i.stage, i.category, i.position, i.entered_at, i.left_at, i.later_position, i.previous_entry_at
           FROM stage_interval i JOIN opportunity_fact f ON f.opportunity_id = i.opportunity_id WHERE i.opportunity_id = ANY($1::uuid[]) RETURNING 1)
       SELECT count(*)::int AS count FROM inserted`,
    [opportunityIds, sign],
  );
  return facts.count + stays.count;
}

export async function recordLeadContributions(manager: EntityManager, leadIds: string[], sign: 1 | -1): Promise<number> {
  if (leadIds.length === 0) return 0;
  const [{ count }]: Array<{ count: number }> = await manager.query(
    `WITH inserted AS (
       INSERT INTO kpi_lead_delta (sign, owner_id, industry, lead_source, created_at, converted)
       SELECT $2, l.owner_id, lower(l.industry), l.source, l.created_at, l.converted_at IS NOT NULL FROM lead_fact l WHERE l.lead_id = ANY($1::uuid[]) RETURNING 1)
     SELECT count(*)::int AS count FROM inserted`,
    [leadIds, sign],
  );
  return count;
}

// Contributions not folded yet, as this process counted them; a fold of a large backlog is cheaper per event than many
// small ones (groups repeat across chunks), a small change is folded at once so the rollup tables stay small to read.
let pending = 0;
export const FOLD_EVERY = 400_000;
const SMALL_CHANGE = 500;

// Runs a projection between the two records of the contributions it changes, then folds when due.
export async function withKpiContributions(
  manager: EntityManager,
  touched: { opportunityIds?: string[]; leadIds?: string[] },
  apply: () => Promise<void>,
): Promise<void> {
  const opportunityIds = [...new Set(touched.opportunityIds ?? [])];
  const leadIds = [...new Set(touched.leadIds ?? [])];
  await manager.query('SELECT pg_advisory_xact_lock($1)', [PROJECTION_LOCK]);
  let recorded = (await recordOpportunityContributions(manager, opportunityIds, -1)) + (await recordLeadContributions(manager, leadIds, -1));
  await apply();
  recorded += (await recordOpportunityContributions(manager, opportunityIds, 1)) + (await recordLeadContributions(manager, leadIds, 1));
  pending += recorded;
  if (pending >= FOLD_EVERY || opportunityIds.length + leadIds.length <= SMALL_CHANGE) {
    await foldKpiContributions(manager);
    pending = 0;
  }
}

// The backstop for a backlog that ended with a large chunk: fold what is left (the weekly-job runner calls it often).
export async function foldPendingContributions(manager: EntityManager): Promise<void> {
  const [{ any }]: Array<{ any: boolean }> = await manager.query(
    'SELECT EXISTS (SELECT 1 FROM kpi_fact_delta) OR EXISTS (SELECT 1 FROM kpi_stay_delta) OR EXISTS (SELECT 1 FROM kpi_lead_delta) AS any',
  );
  if (!any) return;
  await manager.transaction(async (transaction) => {
    await foldKpiContributions(transaction);
  });
  pending = 0;
}
