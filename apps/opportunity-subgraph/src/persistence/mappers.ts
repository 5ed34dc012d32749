import { formatAmount } from '@pipeline/domain';

import type { Activity, Opportunity, StageTransition } from '../domain/opportunity';
import type { AutomationTrigger, Pipeline, Stage } from '../domain/pipeline';
import type { ActivityRow, OpportunityRow, PipelineRow, PipelineStageRow, StageTransitionRow } from './entities';

export const toStage = (row: PipelineStageRow): Stage => ({
  key: row.key,
  name: row.name,
  position: row.position,
  probability: Number(row.probability),
  category: row.category,
  entryCriteria: row.entryCriteria ?? [],
  exitCriteria: row.exitCriteria ?? [],
  stalledAfterDays: row.stalledAfterDays,
  automationTrigger: row.automationTrigger as AutomationTrigger | null,
  active: row.active,
  guidance: row.guidance,
  objectionNotes: (row.objectionNotes ?? []) as Stage['objectionNotes'],
});

export const fromStage = (pipelineId: string, stage: Stage): PipelineStageRow => ({ ...stage, pipelineId, probability: String(stage.probability) });

export const toPipeline = (row: PipelineRow, stages: PipelineStageRow[]): Pipeline => ({
  id: row.id,
  name: row.name,
  isDefault: row.isDefault,
  version: row.version,
  stages: stages
    .filter((stage) => stage.pipelineId === row.id)
    .map(toStage)
    .sort((a, b) => a.position - b.position),
});

export function toOpportunity(row: OpportunityRow): Opportunity {
  const { owner, amount, currency, probabilityOverride, createdBy: _createdBy, ...rest } = row;
  const code = currency?.trim() ?? null;
  return {
    ...rest,
    amount: amount !== null && code !== null ? { amount: formatAmount(amount, code), currency: code } : null,
    probabilityOverride: probabilityOverride === null ? null : Number(probabilityOverride),
    ownerTeamId: owner?.teamId ?? null,
  };
}

export function fromOpportunity(opportunity: Opportunity, createdBy: string | null = null): OpportunityRow {
  const { amount, probabilityOverride, ownerTeamId: _ownerTeamId, ...rest } = opportunity;
  return {
    ...rest,
    amount: amount?.amount ?? null,
    currency: amount?.currency ?? null,
    probabilityOverride: probabilityOverride === null ? null : String(probabilityOverride),
    createdBy,
  };
}

export const toTransition = (row: StageTransitionRow): StageTransition => ({
  opportunityId: row.opportunityId,
  fromStage: row.fromStage,
  toStage: row.toStage,
  changedAt: row.changedAt,
  changedBy: row.changedBy,
  reason: row.reason,
  timeInPreviousStageSeconds: row.timeInPreviousStageSeconds,
  version: row.version,
});

export const toActivity = (row: ActivityRow): Activity => ({ ...row });
