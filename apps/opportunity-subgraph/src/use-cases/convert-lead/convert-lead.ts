import {
  type Actor,
  assertCanWriteAnything,
  canRead,
  canWrite,
  conflict,
  forbidden,
  formatAmount,
  type LeadSource,
  notFound,
  parseId,
  stageGateFailed,
} from '@pipeline/domain';
import { appendToOutbox, isUniqueViolation } from '@pipeline/persistence';

import { ERASED_PERSON, parseContactRole, planNewContact } from '../../domain/account';
import type { Opportunity } from '../../domain/opportunity';
import { contactLinkedEvent } from '../../events/account-events';
import { accountIdFor, contactForLead, findOrCreateAccounts, linkContact } from '../../persistence/account-repository';
import type { LeadSnapshotRow } from '../../persistence/entities';
import { findByLeadId } from '../../persistence/opportunity-repository';
import { findLeadSnapshot, findRepTeam, lockLeadSnapshotErased } from '../../persistence/snapshot-repository';
import { insertNewOpportunity, pipelineOrDefault } from '../create-opportunity/create-opportunity';
import type { OpportunityDeps } from '../deps';
import { parseOptionalDate, parseOptionalId, parseOptionalMoney, parseOptionalText } from '../shared/opportunity-input';
import { waitForSnapshot } from '../shared/wait-for-snapshot';

export interface ConvertLeadCommand {
  leadId: unknown;
  opportunityName?: unknown;
  amount?: { amount: unknown; currency: unknown } | null;
  expectedCloseDate?: unknown;
  pipelineId?: unknown;
  contactRole?: unknown;
}

const convertible = (status: string | undefined) => status === 'QUALIFIED' || status === 'CONVERTED';

interface LeadPerson {
  name: string;
  email: string | null;
}

const ERASED: LeadPerson = { name: ERASED_PERSON, email: null };

// Lead events carry the person only sealed with the lead's key: the lead service opens the envelope (410 once erased). If
// it cannot be reached the conversion fails with SUBGRAPH_UNAVAILABLE (retryable) rather than make a contact that names no one.
async function leadPerson(deps: OpportunityDeps, lead: LeadSnapshotRow): Promise<LeadPerson> {
  if (lead.erased) return ERASED;
  if (!lead.personal) return { name: lead.name, email: null };
  const opening = await deps.personalData.open<{ name?: unknown; email?: unknown }>(lead.personal);
  if (opening.erased) return ERASED;
  const { name, email } = opening.fields;
  return { name: typeof name === 'string' ? name : '', email: typeof email === 'string' ? email : null };
}

// Only QUALIFIED leads convert, exactly once: the unique lead_id index makes the loser of a race get CONFLICT.
export async function convertLead(deps: OpportunityDeps, actor: Actor, input: ConvertLeadCommand): Promise<Opportunity> {
  assertCanWriteAnything(actor);
  const leadId = parseId(input.leadId, 'leadId');
  const name = parseOptionalText(input.opportunityName, 'opportunityName', 200);
  const amount = parseOptionalMoney(input.amount, 'amount');
  const expectedCloseDate = parseOptionalDate(input.expectedCloseDate, 'expectedCloseDate');
  const pipelineId = parseOptionalId(input.pipelineId, 'pipelineId');
  const contactRole = input.contactRole === null || input.contactRole === undefined ? 'OTHER' : parseContactRole(input.contactRole, 'contactRole');
  const manager = deps.dataSource.manager;

  // A lead the caller cannot see waits as long as one that does not exist (yet): the time taken tells nothing.
  const { lead, owner, record } = await waitForSnapshot(
    async () => {
      const found = await findLeadSnapshot(manager, leadId);
      const owner = found?.ownerId ? await findRepTeam(manager, found.ownerId) : { teamId: null };
      return { lead: found, owner, record: { ownerId: found?.ownerId ?? null, ownerTeamId: owner.teamId } };
    },
    (found) => found.lead !== null && canRead(actor, found.record) && convertible(found.lead.status),
    deps.settings.leadSnapshotWaitMs,
  );
  if (!lead || !canRead(actor, record)) throw notFound('Lead', leadId);
  if (!canWrite(actor, record)) throw forbidden('You may read this lead but not convert it');
  // As the lead service refuses every other change to an archived lead.
  if (lead.archived) throw conflict(`Lead ${leadId} is archived; restore it first`, { leadId });
  const existing = await findByLeadId(manager, leadId);
  if (existing) throw conflict(`Lead ${leadId} was already converted into opportunity ${existing.id}`, { opportunityId: existing.id });
  if (lead.status !== 'QUALIFIED') throw stageGateFailed(`Lead ${leadId} is ${lead.status}; only QUALIFIED leads convert`, ['LEAD_QUALIFIED']);
  const person = await leadPerson(deps, lead);

  try {
    return await deps.dataSource.transaction(async (transaction) => {
      // Held until commit, so an erasure arriving meanwhile waits and then scrubs this contact too; one already applied wins.
      const erasedMeanwhile = await lockLeadSnapshotErased(transaction, leadId);
      const pipeline = await pipelineOrDefault(transaction, pipelineId);
      const currency = lead.estimatedValueCurrency?.trim() ?? null;
      // The lead's company becomes (or is linked to) an account, the person a contact on the new opportunity.
      const accountId = accountIdFor(
        await findOrCreateAccounts(transaction, [{ name: lead.company, industry: lead.industry, region: lead.region }], actor.userId),
        lead.company,
      );
      // The contact first: the new opportunity's events are published with the person it names replaced.
      const contactId = await contactForLead(
        transaction,
        planNewContact({ accountId, leadId, ...(erasedMeanwhile ? ERASED : person), phone: null, title: null }, deps.now()),
        actor.userId,
      );
      const opportunity = await insertNewOpportunity(
        transaction,
        pipeline,
        {
          name: name ?? lead.company,
          accountName: lead.company,
          industry: lead.industry,
          region: lead.region,
          amount: amount ?? (lead.estimatedValueAmount !== null && currency ? { amount: formatAmount(lead.estimatedValueAmount, currency), currency } : null),
          expectedCloseDate,
          ownerId: lead.ownerId,
          ownerTeamId: owner.teamId,
          leadId,
          leadSource: lead.source as LeadSource,
          externalId: null,
          accountId,
        },
        { createdBy: actor.userId, at: deps.now() },
      );
      await linkContact(transaction, { opportunityId: opportunity.id, contactId, role: contactRole });

      // A new opportunity: the contact had no role on it before.
      await appendToOutbox(transaction, [
        contactLinkedEvent({ contact: { id: contactId, accountId }, opportunityId: opportunity.id, at: deps.now(), by: actor.userId }, contactRole, null),
      ]);
      return opportunity;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'opportunity_lead_uq')) {
      const winner = await findByLeadId(manager, leadId);
      throw conflict(`Lead ${leadId} was already converted into opportunity ${winner?.id}`, { opportunityId: winner?.id ?? null });
    }
    throw error;
  }
}
