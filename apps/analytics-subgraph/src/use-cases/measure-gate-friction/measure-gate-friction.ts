import type { Actor } from '@pipeline/domain';

import { type RateEstimate, wilsonInterval } from '../../domain/wilson';
import { opportunityConditions, periodCondition, SqlParameters } from '../../persistence/scope-sql';
import type { AnalyticsDeps } from '../deps';
import { metricsScope, type RawMetricsFilter } from '../shared/scope';

export interface CriterionFriction {
  criterion: string;
  refusals: number;
  opportunities: number;
  stillBlocked: number;
  medianDaysBlocked: number | null;
}

export interface GateFriction {
  criteria: CriterionFriction[];
  blockedWinRate: RateEstimate;
  unblockedWinRate: RateEstimate;
}

// Which gate criteria stop deals most, and for how long: an opportunity is blocked by a criterion from its first refusal
// naming it until it next moves forward past the stage it was refused in, or closes. Win rates compare closed deals that
// were ever refused with those never refused. Same scope and visibility as pipelineMetrics; the period is over refusals
// (and close dates for the win rates).
export async function measureGateFriction(deps: AnalyticsDeps, actor: Actor, args: { filter?: RawMetricsFilter | null }): Promise<GateFriction> {
  const scope = metricsScope(actor, args.filter);
  const manager = deps.dataSource.manager;
  const parameters = new SqlParameters();
  const where = opportunityConditions(scope, parameters);
  const period = periodCondition('r.refused_at', scope, parameters);
  const rows: Array<{ criterion: string; refusals: number; opportunities: number; still_blocked: number; median_days: number | null }> = await manager.query(
    `WITH refusal AS (
        SELECT r.opportunity_id, r.refused_at, r.unmet_criteria FROM gate_refusal r JOIN opportunity_fact f ON f.opportunity_id = r.opportunity_id
         WHERE ${where} AND ${period}),
     counted AS (
        SELECT c.criterion, count(*)::int AS refusals FROM refusal r CROSS JOIN LATERAL unnest(r.unmet_criteria) AS c(criterion) GROUP BY c.criterion),
     first_refusal AS (
        SELECT DISTINCT ON (r.opportunity_id, c.criterion) r.opportunity_id, c.criterion, r.refused_at
          FROM refusal r CROSS JOIN LATERAL unnest(r.unmet_criteria) AS c(criterion)
         ORDER BY r.opportunity_id, c.criterion, r.refused_at),
     blocked AS (
        SELECT b.criterion, b.refused_at,
               (SELECT min(e.changed_at) FROM stage_event e
                 WHERE e.opportunity_id = b.opportunity_id AND e.changed_at > b.refused_at
                   AND (e.to_category <> 'OPEN' OR e.to_position > (SELECT s.to_position FROM stage_event s WHERE s.opportunity_id = b.opportunity_id AND s.changed_at <= b.refused_at
                                                                   ORDER BY s.changed_at DESC, s.version DESC LIMIT 1))) AS unblocked_at
          FROM first_refusal b)
     SELECT c.criterion, c.refusals, count(*)::int AS opportunities, count(*) FILTER (WHERE b.unblocked_at IS NULL)::int AS still_blocked,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM b.unblocked_at - b.refused_at) / 86400) FILTER (WHERE b.unblocked_at IS NOT NULL) AS median_days
       FROM counted c JOIN blocked b ON b.criterion = c.criterion
      GROUP BY c.criterion, c.refusals ORDER BY c.refusals DESC, c.criterion`,
    parameters.values,
  );
  const winParameters = new SqlParameters();
  const winWhere = opportunityConditions(scope, winParameters);
  const closedPeriod = periodCondition('f.closed_at', scope, winParameters);
  const outcomes: Array<{ blocked: boolean; won: number; closed: number }> = await manager.query(
    `SELECT EXISTS (SELECT 1 FROM gate_refusal r WHERE r.opportunity_id = f.opportunity_id AND r.refused_at <= f.closed_at) AS blocked,
            count(*) FILTER (WHERE f.status = 'WON')::int AS won, count(*)::int AS closed
       FROM opportunity_fact f WHERE ${winWhere} AND f.status IN ('WON', 'LOST') AND ${closedPeriod} GROUP BY 1`,
    winParameters.values,
  );
  const rate = (blocked: boolean) => {
    const row = outcomes.find((outcome) => outcome.blocked === blocked);
    return wilsonInterval(row?.won ?? 0, row?.closed ?? 0);
  };
  return {
    criteria: rows.map((row) => ({
      criterion: row.criterion,
      refusals: row.refusals,
      opportunities: row.opportunities,
      stillBlocked: row.still_blocked,
      medianDaysBlocked: row.median_days === null ? null : Number(row.median_days),
    })),
    blockedWinRate: rate(true),
    unblockedWinRate: rate(false),
  };
}
