import { type Actor, assertRole, type Money, money, parseInteger, sumByCurrency, SYSTEM_ACTOR } from '@pipeline/domain';

import { bucketStart, nextBucket } from '../../domain/periods';
import type { AnalyticsDeps } from '../deps';
import { computeMetrics } from '../get-pipeline-metrics/get-pipeline-metrics';
import { metricsScope } from '../shared/scope';

export interface WeeklySummary {
  weekStart: string;
  generatedAt: Date;
  openCount: number;
  wonCount: number;
  lostCount: number;
  winRate: number | null;
  openAmount: Money[];
  wonAmount: Money[];
}

// The leadership summary of a week, written to a table (by the weekly job or on demand) and kept for comparison.
export async function summarizeWeek(deps: AnalyticsDeps, actor: Actor): Promise<WeeklySummary> {
  // Analysts read summaries; writing one is an administrative act like any other write.
  assertRole(actor, ['ADMIN'], 'generate weekly summaries');
  const now = deps.now();
  const start = bucketStart(now, 'WEEK');
  const end = nextBucket(start, 'WEEK');
  const scope = { ...metricsScope(SYSTEM_ACTOR, null), from: start, to: end };
  const metrics = await computeMetrics(deps.dataSource.manager, scope, now);
  const won: Array<{ currency: string; total: string }> = await deps.dataSource.query(
    `SELECT currency, sum(amount) AS total FROM opportunity_fact WHERE status = 'WON' AND NOT archived AND amount IS NOT NULL AND closed_at >= $1 AND closed_at < $2 GROUP BY currency`,
    [start.toISOString(), end.toISOString()],
  );
  const summary: WeeklySummary = {
    weekStart: start.toISOString().slice(0, 10),
    generatedAt: now,
    openCount: metrics.pipelineSize.openCount,
    wonCount: metrics.wonCount,
    lostCount: metrics.lostCount,
    winRate: metrics.winRate,
    openAmount: metrics.pipelineSize.openAmount,
    wonAmount: sumByCurrency(won.map((row) => money(row.total, row.currency.trim()))),
  };
  await deps.dataSource.query(
    `INSERT INTO weekly_summary (week_start, generated_at, summary) VALUES ($1, $2, $3::jsonb)
     ON CONFLICT (week_start) DO UPDATE SET generated_at = EXCLUDED.generated_at, summary = EXCLUDED.summary`,
    [summary.weekStart, now, JSON.stringify(summary)],
  );
  return summary;
}

export async function listWeeklySummaries(deps: AnalyticsDeps, actor: Actor, first: number | null | undefined): Promise<WeeklySummary[]> {
  assertRole(actor, ['ADMIN', 'ANALYST'], 'read weekly summaries');
  const limit = parseInteger(first ?? 12, 'first', 1, 260);
  const rows: Array<{ summary: WeeklySummary }> = await deps.dataSource.query('SELECT summary FROM weekly_summary ORDER BY week_start DESC LIMIT $1', [limit]);
  return rows.map((row) => ({ ...row.summary, generatedAt: new Date(row.summary.generatedAt) }));
}

// The weekly job: writes this week's summary once per week (idempotent, so every replica may run it).
export async function ensureWeeklySummary(deps: AnalyticsDeps): Promise<void> {
  const weekStart = bucketStart(deps.now(), 'WEEK').toISOString().slice(0, 10);
  const rows: unknown[] = await deps.dataSource.query('SELECT 1 FROM weekly_summary WHERE week_start = $1', [weekStart]);
  if (rows.length === 0) await summarizeWeek(deps, SYSTEM_ACTOR);
}
