import { type Actor, assertCanWriteAnything } from '@pipeline/domain';

import { planRestoreOpportunity } from '../../domain/archive';
import type { Opportunity } from '../../domain/opportunity';
import { restoredEvent } from '../../events/opportunity-events';
import { appendRedactedToOutbox } from '../../persistence/lead-person-text';
import { updateOpportunity } from '../../persistence/opportunity-repository';
import type { OpportunityDeps } from '../deps';
import { loadWritableOpportunity } from '../shared/opportunity-access';
import { parseExpectedVersion } from '../shared/opportunity-input';

// Brings an archived opportunity back into lists, the board and KPIs exactly as it was.
export async function restoreOpportunity(
  deps: OpportunityDeps,
  actor: Actor,
  input: { opportunityId: unknown; expectedVersion?: unknown },
): Promise<Opportunity> {
  assertCanWriteAnything(actor);
  const expectedVersion = parseExpectedVersion(input.expectedVersion);
  return deps.dataSource.transaction(async (manager) => {
    const { opportunity, pipeline } = await loadWritableOpportunity(manager, actor, input.opportunityId, expectedVersion, { archived: 'allow' });
    const now = deps.now();
    const next = planRestoreOpportunity(opportunity, now);
    await updateOpportunity(manager, next, opportunity.version);
    await appendRedactedToOutbox(manager, [restoredEvent(next, pipeline, actor.userId, now)]);
    return next;
  });
}
