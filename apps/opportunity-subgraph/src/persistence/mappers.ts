import type { Activity, Opportunity, StageTransition } from '../domain/opportunity';
import type { Stage } from '../domain/pipeline';
import type { ActivityRow, OpportunityRow, PipelineStageRow, StageTransitionRow } from './entities';

export const fromStage = (pipelineId: string, stage: Stage): PipelineStageRow => ({ ...stage, pipelineId, probability: String(stage.probability) });

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
