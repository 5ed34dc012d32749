import type { Opportunity } from './opportunity';

// A stage move the gates refused, as a fact for coaching: who tried what, and which criteria stood in the way.
export interface GateRefusal {
  opportunityId: string;
  pipelineId: string;
  fromStage: string;
  toStage: string;
  unmetCriteria: string[];
  refusedAt: Date;
  refusedBy: string | null;
  ownerId: string | null;
  version: number;
}

export function planGateRefusal(opportunity: Opportunity, toStage: string, unmetCriteria: readonly string[], refusedBy: string | null, at: Date): GateRefusal {
  return {
    opportunityId: opportunity.id,
    pipelineId: opportunity.pipelineId,
    fromStage: opportunity.stageKey,
    toStage,
    unmetCriteria: [...new Set(unmetCriteria)].sort(),
    refusedAt: at,
    refusedBy,
    ownerId: opportunity.ownerId,
    version: opportunity.version,
  };
}
