import { isDomainError } from '@pipeline/domain';
import type { EntityManager } from 'typeorm';

import type { DealFacts } from '../../domain/criteria';
import type { Opportunity } from '../../domain/opportunity';
import { type Pipeline, stageOf } from '../../domain/pipeline';
import { findOpportunity } from '../../persistence/opportunity-repository';
import { loadPipeline } from '../../persistence/pipeline-repository';
import { dealFacts, saveDealFacts } from '../../persistence/snapshot-repository';
import { moveStage } from '../shared/move-stage';

export interface Target {
  opportunity: Opportunity;
  pipeline: Pipeline;
  facts: DealFacts;
}

// Deal facts are recorded even when the stage move they suggest is refused by a gate. An archived opportunity takes no
// change but its restore, from automation as from people: its facts are kept for the gates, and no target is returned.
export async function recordFacts(manager: EntityManager, opportunityId: string, change: (facts: DealFacts) => DealFacts): Promise<Target | null> {
  const opportunity = await findOpportunity(manager, opportunityId, true);
  if (!opportunity) return null;
  const facts = change(await dealFacts(manager, opportunityId));
  await saveDealFacts(manager, opportunityId, facts);
  if (opportunity.archivedAt) return null;
  const pipeline = await loadPipeline(manager, opportunity.pipelineId);
  if (!pipeline) throw new Error(`Pipeline ${opportunity.pipelineId} is missing`);
  return { opportunity, pipeline, facts };
}

export interface AutomatedMoveResult {
  moved: boolean;
  refusal: string | null;
}

// Automation goes through the same gates as people; a refusal leaves the opportunity where it is and is reported.
export async function tryMove(
  manager: EntityManager,
  target: Target,
  toStage: string,
  reason: string | null,
  at: Date,
  allowReopen = false,
): Promise<AutomatedMoveResult> {
  try {
    await manager.query('SAVEPOINT automated_move');
    await moveStage(manager, target.opportunity, target.pipeline, { toStage, changedBy: null, reason, at, allowReopen, known: { facts: target.facts } });
    await manager.query('RELEASE SAVEPOINT automated_move');
    return { moved: true, refusal: null };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    await manager.query('ROLLBACK TO SAVEPOINT automated_move');
    return { moved: false, refusal: `${error.code}: ${error.message}` };
  }
}

// Moves forward only: automation never pulls an opportunity back from a later stage.
export function isBefore(target: Target, stageKey: string): boolean {
  const current = stageOf(target.pipeline, target.opportunity.stageKey);
  const wanted = stageOf(target.pipeline, stageKey);
  return !!current && !!wanted && current.category === 'OPEN' && current.position < wanted.position;
}
