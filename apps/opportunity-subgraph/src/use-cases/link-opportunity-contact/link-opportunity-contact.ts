import { type Actor, notFound, parseId } from '@pipeline/domain';
import { appendToOutbox } from '@pipeline/persistence';

import { parseContactRole } from '../../domain/account';
import type { Opportunity } from '../../domain/opportunity';
import { contactLinkedEvent } from '../../events/account-events';
import { findContactsByIds, linkContact } from '../../persistence/account-repository';
import type { OpportunityDeps } from '../deps';
import { loadWritableOpportunity } from '../shared/opportunity-access';

// Names a contact on an opportunity with a role (decision maker, champion…); naming them again changes the role.
export async function linkOpportunityContact(
  deps: OpportunityDeps,
  actor: Actor,
  input: { opportunityId: unknown; contactId: unknown; role: unknown },
): Promise<Opportunity> {
  const contactId = parseId(input.contactId, 'contactId');
  const role = parseContactRole(input.role);
  return deps.dataSource.transaction(async (manager) => {
    const { opportunity } = await loadWritableOpportunity(manager, actor, input.opportunityId);
    const [contact] = await findContactsByIds(manager, [contactId]);
    if (!contact) throw notFound('Contact', contactId);
    const previousRole = await linkContact(manager, { opportunityId: opportunity.id, contactId, role });
    // Naming a contact again in the same role changes nothing, so it is no fact.
    if (previousRole !== role)
      await appendToOutbox(manager, [contactLinkedEvent({ contact, opportunityId: opportunity.id, at: deps.now(), by: actor.userId }, role, previousRole)]);
    return opportunity;
  });
}
