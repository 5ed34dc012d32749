import type { Actor } from '@pipeline/domain';

import { type RateEstimate, wilsonInterval } from '../../domain/wilson';
import { opportunityConditions, periodCondition, SqlParameters } from '../../persistence/scope-sql';
import type { AnalyticsDeps } from '../deps';
import { metricsScope, type RawMetricsFilter } from '../shared/scope';

export interface ObjectionOutcome {
  category: string;
  opportunities: number;
  // Won among the closed opportunities that raised this objection.
  winRate: RateEstimate;
  // Why the lost ones were lost, most frequent first.
  lostReasons: Array<{ reason: string; count: number }>;
}

// Which objections end in losses, and for which stated reasons: each category's opportunities (an opportunity counts
// once per category however often it was raised), their outcome and lost reasons. The period is over when the objection
// was recorded; visibility as in pipelineMetrics.
export async function linkObjections(deps: AnalyticsDeps, actor: Actor, args: { filter?: RawMetricsFilter | null }): Promise<ObjectionOutcome[]> {
  const scope = metricsScope(actor, args.filter);
  const parameters = new SqlParameters();
  const where = opportunityConditions(scope, parameters);
  const period = periodCondition('o.recorded_at', scope, parameters);
  const rows: Array<{ category: string; status: string; reason: string | null; count: number }> = await deps.dataSource.query(
    `WITH raised AS (
        SELECT DISTINCT o.category, o.opportunity_id FROM objection_fact o JOIN opportunity_fact f ON f.opportunity_id = o.opportunity_id WHERE ${where} AND ${period})
     SELECT r.category, f.status, CASE WHEN f.status = 'LOST' THEN coalesce(d.lost_reason, '(unknown)') END AS reason, count(*)::int AS count
       FROM raised r JOIN opportunity_fact f ON f.opportunity_id = r.opportunity_id LEFT JOIN deal_fact d ON d.opportunity_id = r.opportunity_id
      GROUP BY 1, 2, 3`,
    parameters.values,
  );
  const categories = new Map<string, { opportunities: number; won: number; lost: number; reasons: Map<string, number> }>();
  for (const row of rows) {
    const entry = categories.get(row.category) ?? { opportunities: 0, won: 0, lost: 0, reasons: new Map<string, number>() };
    entry.opportunities += row.count;
    if (row.status === 'WON') entry.won += row.count;
    if (row.status === 'LOST') {
      entry.lost += row.count;
      entry.reasons.set(row.reason as string, (entry.reasons.get(row.reason as string) ?? 0) + row.count);
    }
    categories.set(row.category, entry);
  }
  return [...categories.entries()]
    .map(([category, entry]) => ({
      category,
      opportunities: entry.opportunities,
      winRate: wilsonInterval(entry.won, entry.won + entry.lost),
      lostReasons: [...entry.reasons.entries()]
        .map(([reason, count]) => ({ reason, count }))
        .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    }))
    .sort((a, b) => b.opportunities - a.opportunities || a.category.localeCompare(b.category));
}
