import { type Actor, badInput, isOneOf } from '@pipeline/domain';

import { opportunityConditions, periodCondition, SqlParameters } from '../../persistence/scope-sql';
import type { AnalyticsDeps } from '../deps';
import { metricsScope, type RawMetricsFilter } from '../shared/scope';

const DIMENSIONS = ['STAGE', 'COMPETITOR', 'SEGMENT'] as const;

// Lost opportunities by reason and by the stage they were lost from, the competitor that won, or the industry.
export async function countLostReasons(
  deps: AnalyticsDeps,
  actor: Actor,
  args: { by: unknown; filter?: RawMetricsFilter | null },
): Promise<Array<{ reason: string; key: string | null; count: number }>> {
  if (!isOneOf(DIMENSIONS, args.by)) throw badInput('by', `by must be one of ${DIMENSIONS.join(', ')}`);
  const scope = metricsScope(actor, args.filter);
  const parameters = new SqlParameters();
  const key = { STAGE: 'lost.from_stage', COMPETITOR: 'd.competitor', SEGMENT: 'f.industry' }[args.by];
  const rows: Array<{ reason: string; key: string | null; count: number }> = await deps.dataSource.query(
    `SELECT coalesce(d.lost_reason, lost.reason, 'UNKNOWN') AS reason, ${key} AS key, count(*)::int AS count
       FROM opportunity_fact f
       LEFT JOIN deal_fact d ON d.opportunity_id = f.opportunity_id AND d.outcome = 'LOST'
       LEFT JOIN LATERAL (SELECT e.from_stage, e.reason FROM stage_event e WHERE e.opportunity_id = f.opportunity_id AND e.to_category = 'LOST' ORDER BY e.version DESC LIMIT 1) lost ON true
      WHERE ${opportunityConditions(scope, parameters)} AND f.status = 'LOST' AND ${periodCondition('f.closed_at', scope, parameters)}
      GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`,
    parameters.values,
  );
  return rows;
}
