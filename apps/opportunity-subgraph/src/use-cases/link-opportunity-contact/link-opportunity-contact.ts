import { type Actor, notFound, parseId } from '@pipeline/domain';

import { parseContactRole } from '../../domain/account';
import type { Opportunity } from '../../domain/opportunity';
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
    if ((await findContactsByIds(manager, [contactId])).length === 0) throw notFound('Contact', contactId);
    await linkContact(manager, { opportunityId: opportunity.id, contactId, role });
    return opportunity;
  });
}
