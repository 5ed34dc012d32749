import { type Actor, assertCanWriteAnything, parseText } from '@pipeline/domain';

import { planArchiveOpportunity } from '../../domain/archive';
import type { Opportunity } from '../../domain/opportunity';
import { archivedEvent } from '../../events/opportunity-events';
import { appendRedactedToOutbox } from '../../persistence/lead-person-text';
import { updateOpportunity } from '../../persistence/opportunity-repository';
import type { OpportunityDeps } from '../deps';
import { loadWritableOpportunity } from '../shared/opportunity-access';
import { parseExpectedVersion } from '../shared/opportunity-input';

// Takes an opportunity out of lists, the board, segments and (through opportunity.archived) the KPIs; restore undoes it.
export async function archiveOpportunity(
  deps: OpportunityDeps,
  actor: Actor,
  input: { opportunityId: unknown; expectedVersion?: unknown; reason?: unknown },
): Promise<Opportunity> {
  assertCanWriteAnything(actor);
  const expectedVersion = parseExpectedVersion(input.expectedVersion);
  const reason = parseText(input.reason, 'reason', { maxLength: 500 });
  return deps.dataSource.transaction(async (manager) => {
    const { opportunity, pipeline } = await loadWritableOpportunity(manager, actor, input.opportunityId, expectedVersion, { archived: 'allow' });
    const now = deps.now();
    const next = planArchiveOpportunity(opportunity, reason, now);
    await updateOpportunity(manager, next, opportunity.version);
    await appendRedactedToOutbox(manager, [archivedEvent(next, pipeline, actor.userId, now)]);
    return next;
  });
}
