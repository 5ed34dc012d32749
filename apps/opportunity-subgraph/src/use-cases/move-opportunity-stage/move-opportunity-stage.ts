import { parseText, type Actor } from '@pipeline/domain';
import type { Opportunity } from '../../domain/opportunity';
import type { OpportunityDeps } from '../deps';
import { moveStage } from '../shared/move-stage';
import { loadWritableOpportunity } from '../shared/opportunity-access';
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
  return deps.dataSource.transaction(async (manager) => {
    const { opportunity, pipeline } = await loadWritableOpportunity(manager, actor, input.opportunityId, expectedVersion);
    return moveStage(manager, opportunity, pipeline, { toStage, changedBy: actor.userId, reason, at: deps.now() });
  });
}
