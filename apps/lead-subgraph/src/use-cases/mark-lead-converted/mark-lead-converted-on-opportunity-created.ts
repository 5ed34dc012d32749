import type { EntityManager } from 'typeorm';
import { EVENT_TYPES, type TypedCloudEvent } from '@pipeline/events';
import { appendToOutbox } from '@pipeline/persistence';
import { leadEvent } from '../../events/lead-events';
import { findLead, updateLead } from '../../persistence/lead-repository';

// The opportunity service converted a lead: the lead records it (its own data has one writer: this service).
export async function markLeadConvertedOnOpportunityCreated(event: TypedCloudEvent<'sales.opportunity.created.v1'>, manager: EntityManager): Promise<void> {
  const leadId = event.data.opportunity.leadId;
  if (!leadId) return;
  const lead = await findLead(manager, leadId, true);
  if (!lead || lead.opportunityId === event.data.opportunityId) return;
  const now = new Date(event.time);
  const next = { ...lead, status: 'CONVERTED' as const, opportunityId: event.data.opportunityId, version: lead.version + 1, updatedAt: new Date() };
  await updateLead(manager, next, lead.version);
  await appendToOutbox(manager, [leadEvent(EVENT_TYPES.leadConverted, next, { opportunityId: event.data.opportunityId, convertedAt: now.toISOString() }, new Date())]);
}
