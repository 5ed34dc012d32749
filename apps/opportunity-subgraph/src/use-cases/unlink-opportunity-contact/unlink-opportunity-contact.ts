import { type Actor, notFound, parseId } from '@pipeline/domain';

import type { Opportunity } from '../../domain/opportunity';
import { unlinkContact } from '../../persistence/account-repository';
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
    if (!(await unlinkContact(manager, opportunity.id, contactId))) throw notFound('Contact', contactId);
    return opportunity;
  });
}
