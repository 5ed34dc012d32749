import { type Actor, notFound, parseId } from '@pipeline/domain';
import { appendToOutbox } from '@pipeline/persistence';

import type { Opportunity } from '../../domain/opportunity';
import { contactUnlinkedEvent } from '../../events/account-events';
import { findContactsByIds, unlinkContact } from '../../persistence/account-repository';
import type { OpportunityDeps } from '../deps';
import { loadWritableOpportunity } from '../shared/opportunity-access';

export async function unlinkOpportunityContact(
  deps: OpportunityDeps,
  actor: Actor,
  input: { opportunityId: unknown; contactId: unknown },
): Promise<Opportunity> {
  const contactId = parseId(input.contactId, 'contactId');
  return deps.dataSource.transaction(async (manager) => {
    const { opportunity } = await loadWritableOpportunity(manager, actor, input.opportunityId);
    const role = await unlinkContact(manager, opportunity.id, contactId);
    if (!role) throw notFound('Contact', contactId);
    const [contact] = await findContactsByIds(manager, [contactId]);
    await appendToOutbox(manager, [contactUnlinkedEvent({ contact, opportunityId: opportunity.id, at: deps.now(), by: actor.userId }, role)]);
    return opportunity;
  });
}
