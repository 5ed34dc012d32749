import { type Actor, badInput, type Money, parseDateTime, sumByCurrency } from '@pipeline/domain';
import type { EntityManager } from 'typeorm';

import type { MetricsScope } from '../../domain/metrics-filter';
import { type PastState, pipelineWaterfall, type Waterfall } from '../../domain/waterfall';
import { opportunityConditions, SqlParameters } from '../../persistence/scope-sql';
import type { AnalyticsDeps } from '../deps';
import { metricsScope, type RawMetricsFilter } from '../shared/scope';

interface PastRow {
  opportunity_id: string;
  stage: string;
  category: 'OPEN' | 'WON' | 'LOST';
  position: number | null;
  amount: string | null;
  currency: string | null;
  expected_close_date: string | null;
}

// Each opportunity in scope as it stood at an instant: its stage from the last stage event then, its amount and close
// date from the last stage event or created/updated fact then (versions order them). Absent: it did not exist yet.
// Visibility and filters apply by the opportunity's current owner, as in every other analytics read.
async function statesAt(manager: EntityManager, scope: MetricsScope, at: Date): Promise<Map<string, PastRow>> {
  const parameters = new SqlParameters();
  const where = opportunityConditions(scope, parameters);
  const instant = parameters.add(at.toISOString());
  const rows: PastRow[] = await manager.query(
    `SELECT f.opportunity_id, s.to_stage AS stage, s.to_category AS category, s.to_position AS position, a.amount, trim(a.currency) AS currency,
            to_char(a.expected_close_date, 'YYYY-MM-DD') AS expected_close_date
       FROM opportunity_fact f
       JOIN LATERAL (SELECT e.to_stage, e.to_category, e.to_position FROM stage_event e
                      WHERE e.opportunity_id = f.opportunity_id AND e.changed_at <= ${instant}::timestamptz ORDER BY e.version DESC, e.changed_at DESC LIMIT 1) s ON true
       LEFT JOIN LATERAL (
         SELECT x.amount, x.currency, x.expected_close_date FROM (
           SELECT e.version, e.changed_at AS at, (e.snapshot->'amount'->>'amount')::numeric AS amount, e.snapshot->'amount'->>'currency' AS currency,
                  (e.snapshot->>'expectedCloseDate')::date AS expected_close_date
             FROM stage_event e WHERE e.opportunity_id = f.opportunity_id AND e.changed_at <= ${instant}::timestamptz
           UNION ALL
           SELECT r.version, r.recorded_at, r.amount, r.currency, r.expected_close_date
             FROM opportunity_revision r WHERE r.opportunity_id = f.opportunity_id AND r.recorded_at <= ${instant}::timestamptz) x
          ORDER BY x.version DESC, x.at DESC LIMIT 1) a ON true
      WHERE ${where}`,
    parameters.values,
  );
  return new Map(rows.map((row) => [row.opportunity_id, row]));
}

const pastState = (row: PastRow | undefined): PastState | null =>
  row
    ? {
        category: row.category,
        stagePosition: row.position,
        amount: row.amount === null || row.currency === null ? null : { amount: row.amount, currency: row.currency },
        expectedCloseDate: row.expected_close_date,
      }
    : null;

export interface PastPipeline {
  asOf: Date;
  openCount: number;
  openAmount: Money[];
  byStage: Array<{ stage: string; count: number; amount: Money[] }>;
}

// The open pipeline as it stood at a past instant, rebuilt from the event history.
export async function pipelineAsOf(deps: AnalyticsDeps, actor: Actor, args: { at: unknown; filter?: RawMetricsFilter | null }): Promise<PastPipeline> {
  const at = parseDateTime(args.at, 'at');
  if (at > deps.now()) throw badInput('at', 'at must not be in the future');
  const states = [...(await statesAt(deps.dataSource.manager, metricsScope(actor, args.filter), at)).values()].filter((row) => row.category === 'OPEN');
  const stages = new Map<string, { position: number; rows: PastRow[] }>();
  for (const row of states) {
    const entry = stages.get(row.stage) ?? { position: row.position ?? 0, rows: [] };
    entry.rows.push(row);
    stages.set(row.stage, entry);
  }
  const amounts = (rows: PastRow[]) =>
    sumByCurrency(rows.flatMap((row) => (row.amount !== null && row.currency !== null ? [{ amount: row.amount, currency: row.currency }] : [])));
  return {
    asOf: at,
    openCount: states.length,
    openAmount: amounts(states),
    byStage: [...stages.entries()]
      .sort(([a, left], [b, right]) => left.position - right.position || a.localeCompare(b))
      .map(([stage, entry]) => ({ stage, count: entry.rows.length, amount: amounts(entry.rows) })),
  };
}

// What changed between two instants: new, advanced, slipped, amount up or down, won, lost (and reopened).
export async function waterfallBetween(
  deps: AnalyticsDeps,
  actor: Actor,
  args: { from: unknown; to: unknown; filter?: RawMetricsFilter | null },
): Promise<Waterfall & { from: Date; to: Date }> {
  const from = parseDateTime(args.from, 'from');
  const to = parseDateTime(args.to, 'to');
  if (to <= from) throw badInput('to', 'to must be after from');
  if (to > deps.now()) throw badInput('to', 'to must not be in the future');
  const scope = metricsScope(actor, args.filter);
  const [before, after] = [await statesAt(deps.dataSource.manager, scope, from), await statesAt(deps.dataSource.manager, scope, to)];
  const ids = new Set([...before.keys(), ...after.keys()]);
  return { from, to, ...pipelineWaterfall([...ids].map((id) => ({ before: pastState(before.get(id)), after: pastState(after.get(id)) }))) };
}
