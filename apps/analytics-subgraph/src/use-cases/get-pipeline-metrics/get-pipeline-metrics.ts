import type { Actor, Money } from '@pipeline/domain';
import type { EntityManager } from 'typeorm';

import type { MetricsScope } from '../../domain/metrics-filter';
import type { Period } from '../../domain/periods';
import {
  averageWonValue,
  bottlenecks,
  closedCounts,
  type CycleStats,
  cycleStats,
  leadConversion,
  type LeadSourceConversion,
  type PipelineSize,
  pipelineSize,
  pipelineSizesAsOf,
  type StageBottleneck,
  type StageConversion,
  stageConversions,
  wholePeriod,
} from '../../persistence/metrics-repository';
import {
  rollupBottlenecks,
  rollupClosed,
  rollupConversions,
  rollupGrain,
  rollupLeadConversion,
  rollupPipelineSize,
  rollupSizesAsOf,
} from '../../persistence/rollup-metrics';
import type { AnalyticsDeps } from '../deps';
import { metricsScope, type RawMetricsFilter } from '../shared/scope';

export interface PipelineMetrics {
  pipelineSize: PipelineSize;
  wonCount: number;
  lostCount: number;
  winRate: number | null;
  averageDealValue: Money[];
  salesCycle: CycleStats;
  stageConversions: StageConversion[];
  bottlenecks: StageBottleneck[];
  leadConversion: LeadSourceConversion[];
}

// The KPIs of the process (step 5): pipeline size, win rate, average deal value, cycle length, conversions, bottlenecks.
// From the rollups when one covers the scope and period (whole days), else from the facts.
export async function computeMetrics(
  manager: EntityManager,
  scope: MetricsScope,
  now: Date,
  exactPercentileLimit = Number.POSITIVE_INFINITY,
): Promise<PipelineMetrics> {
  const periods = wholePeriod(scope);
  const grain = rollupGrain(scope, periods);
  if (grain !== null) {
    const [size, closed, [conversions], [stalls], [leads]] = await Promise.all([
      rollupPipelineSize(manager, scope, grain),
      rollupClosed(manager, scope, grain, periods, exactPercentileLimit),
      rollupConversions(manager, scope, grain, periods),
      rollupBottlenecks(manager, scope, grain, [now], exactPercentileLimit),
      rollupLeadConversion(manager, scope, grain, periods),
    ]);
    return assemble(size, closed.closed[0], closed.averages[0], closed.cycles[0], conversions, stalls, leads);
  }
  const [size, [closed], [average], [cycle], [conversions], [stalls], [leads]] = await Promise.all([
    pipelineSize(manager, scope),
    closedCounts(manager, scope, periods),
    averageWonValue(manager, scope, periods),
    cycleStats(manager, scope, periods),
    stageConversions(manager, scope, periods),
    bottlenecks(manager, scope, [now]),
    leadConversion(manager, scope, periods),
  ]);
  return assemble(size, closed, average, cycle, conversions, stalls, leads);
}

// The same KPIs for consecutive periods with a fixed number of statements, whatever their number; each period's
// pipeline and stalls are taken at its end (or now, for a period not over yet).
export async function computeMetricsSeries(
  manager: EntityManager,
  scope: MetricsScope,
  periods: Period[],
  now: Date,
  exactPercentileLimit = Number.POSITIVE_INFINITY,
): Promise<PipelineMetrics[]> {
  if (periods.length === 0) return [];
  const ends = periods.map((period) => (period.end < now ? period.end : now));
  if (rollupGrain(scope, periods) === 0) {
    const [sizes, closed, conversions, stalls, leads] = await Promise.all([
      rollupSizesAsOf(manager, scope, ends),
      rollupClosed(manager, scope, 0, periods, exactPercentileLimit),
      rollupConversions(manager, scope, 0, periods),
      rollupBottlenecks(manager, scope, 0, ends, exactPercentileLimit),
      rollupLeadConversion(manager, scope, 0, periods),
    ]);
    return periods.map((_period, index) =>
      assemble(sizes[index], closed.closed[index], closed.averages[index], closed.cycles[index], conversions[index], stalls[index], leads[index]),
    );
  }
  const [sizes, closed, averages, cycles, conversions, stalls, leads] = await Promise.all([
    pipelineSizesAsOf(manager, scope, ends),
    closedCounts(manager, scope, periods),
    averageWonValue(manager, scope, periods),
    cycleStats(manager, scope, periods),
    stageConversions(manager, scope, periods),
    bottlenecks(manager, scope, ends),
    leadConversion(manager, scope, periods),
  ]);
  return periods.map((_period, index) =>
    assemble(sizes[index], closed[index], averages[index], cycles[index], conversions[index], stalls[index], leads[index]),
  );
}

function assemble(
  size: PipelineSize,
  closed: { won: number; lost: number },
  average: Money[],
  cycle: CycleStats,
  conversions: StageConversion[],
  stalls: StageBottleneck[],
  leads: LeadSourceConversion[],
): PipelineMetrics {
  return {
    pipelineSize: size,
    wonCount: closed.won,
    lostCount: closed.lost,
    winRate: closed.won + closed.lost === 0 ? null : closed.won / (closed.won + closed.lost),
    averageDealValue: average,
    salesCycle: cycle,
    stageConversions: conversions,
    bottlenecks: stalls,
    leadConversion: leads,
  };
}

export async function getPipelineMetrics(deps: AnalyticsDeps, actor: Actor, filter: RawMetricsFilter | null | undefined): Promise<PipelineMetrics> {
  return computeMetrics(deps.dataSource.manager, metricsScope(actor, filter), deps.now(), deps.exactPercentileLimit);
}
