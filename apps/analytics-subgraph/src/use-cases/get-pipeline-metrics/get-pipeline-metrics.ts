import type { EntityManager } from 'typeorm';
import type { Actor, Money } from '@pipeline/domain';
import type { MetricsScope } from '../../domain/metrics-filter';
import {
  averageWonValue,
  bottlenecks,
  closedCounts,
  cycleStats,
  leadConversion,
  pipelineSize,
  stageConversions,
  type CycleStats,
  type LeadSourceConversion,
  type PipelineSize,
  type StageBottleneck,
  type StageConversion,
} from '../../persistence/metrics-repository';
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
export async function computeMetrics(manager: EntityManager, scope: MetricsScope, now: Date, pipelineAsOf: Date | null = null): Promise<PipelineMetrics> {
  const [size, closed, average, cycle, conversions, stalls, leads] = await Promise.all([
    pipelineSize(manager, scope, pipelineAsOf),
    closedCounts(manager, scope),
    averageWonValue(manager, scope),
    cycleStats(manager, scope),
    stageConversions(manager, scope),
    bottlenecks(manager, scope, pipelineAsOf ?? now),
    leadConversion(manager, scope),
  ]);
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
  return computeMetrics(deps.dataSource.manager, metricsScope(actor, filter), deps.now());
}
