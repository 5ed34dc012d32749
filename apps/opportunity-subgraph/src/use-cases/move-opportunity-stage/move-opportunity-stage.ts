import { type Actor, isDomainError, parseText } from '@pipeline/domain';
import { appendToOutbox } from '@pipeline/persistence';

import { type GateRefusal, planGateRefusal } from '../../domain/gate-refusal';
import type { Opportunity } from '../../domain/opportunity';
import { stageMoveRefusedEvent } from '../../events/gate-refusal-event';
import { readMoveContext } from '../../persistence/stage-move-sql';
import type { OpportunityDeps } from '../deps';
import { moveStage } from '../shared/move-stage';
import { lockWritableOpportunity, missingPipeline } from '../shared/opportunity-access';
import { parseExpectedVersion, parseStageKey } from '../shared/opportunity-input';

export interface MoveOpportunityStageCommand {
  opportunityId: unknown;
  toStage: unknown;
  expectedVersion?: unknown;
  reason?: unknown;
}

// The API path through the stage gates; the row lock plus expectedVersion make concurrent moves resolve to one winner.
export async function moveOpportunityStage(deps: OpportunityDeps, actor: Actor, input: MoveOpportunityStageCommand): Promise<Opportunity> {
  const toStage = parseStageKey(input.toStage);
  const expectedVersion = parseExpectedVersion(input.expectedVersion);
  const reason = parseText(input.reason, 'reason', { maxLength: 1_000 });
  let refusal: GateRefusal | null = null;
  try {
    return await deps.dataSource.transaction(async (manager) => {
      const opportunity = await lockWritableOpportunity(manager, actor, input.opportunityId, expectedVersion);
      // What the gates and the event need, in one read after the lock.
      const { pipeline, facts, activityCount, leadPeople } = await readMoveContext(manager, opportunity);
      if (!pipeline) throw missingPipeline(opportunity);
      const at = deps.now();
      try {
        return await moveStage(manager, opportunity, pipeline, { toStage, changedBy: actor.userId, reason, at, known: { facts, activityCount, leadPeople } });
      } catch (error) {
        if (isDomainError(error) && error.code === 'STAGE_GATE_FAILED')
          refusal = planGateRefusal(opportunity, toStage, error.details.unmetCriteria ?? [], actor.userId, at);
        throw error;
      }
    });
  } catch (error) {
    // The refused move is still refused with its error; the refusal itself becomes a fact, in its own small transaction.
    if (refusal) await recordGateRefusal(deps, refusal);
    throw error;
  }
}

async function recordGateRefusal(deps: OpportunityDeps, refusal: GateRefusal): Promise<void> {
  await deps.dataSource.transaction((manager) => appendToOutbox(manager, [stageMoveRefusedEvent(refusal)]));
}
