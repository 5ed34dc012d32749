import { type Actor, badInput } from '@pipeline/domain';

import { periods, type TimeBucket } from '../../domain/periods';
import type { AnalyticsDeps } from '../deps';
import { computeMetricsSeries, type PipelineMetrics } from '../get-pipeline-metrics/get-pipeline-metrics';
import { metricsScope, type RawMetricsFilter } from '../shared/scope';

const BUCKETS: TimeBucket[] = ['WEEK', 'MONTH', 'QUARTER'];

// The same KPIs per calendar bucket; each bucket's pipeline size is the open pipeline at the bucket's end.
export async function getMetricsSeries(
  deps: AnalyticsDeps,
  actor: Actor,
  args: { filter?: RawMetricsFilter | null; bucket: unknown },
): Promise<Array<{ periodStart: Date; periodEnd: Date; metrics: PipelineMetrics }>> {
  if (!BUCKETS.includes(args.bucket as TimeBucket)) throw badInput('bucket', 'bucket must be WEEK, MONTH or QUARTER');
  const scope = metricsScope(actor, args.filter);
  const now = deps.now();
  const buckets = periods(scope.from, scope.to ?? now, args.bucket as TimeBucket);
  const metrics = await computeMetricsSeries(deps.dataSource.manager, scope, buckets, now, deps.exactPercentileLimit);
  return buckets.map((period, index) => ({ periodStart: period.start, periodEnd: period.end, metrics: metrics[index] }));
}
