import type { AnyPipelineEvent, LeadSnapshot } from '@pipeline/events';
import { isPersonalDataUnavailable, type PersonalDataOpener } from '@pipeline/server-kit';
import type { EntityManager } from 'typeorm';

import { notificationsForLeadAssignment } from '../../domain/notification';
import { upsertLeads } from '../../persistence/snapshot-repository';
import { recordNotifications } from '../../use-cases/record-notifications/record-notifications';

type LeadFact = Extract<AnyPipelineEvent, { data: { leadId: string; lead: unknown } }>;

// The person's name for the notification's text: plain in events from before sealing, else opened by the lead service.
// Erased, or the lead service unreachable: no name (the company names the lead), so a notification never waits on it.
async function personNameOf(lead: LeadSnapshot, personalData: PersonalDataOpener | undefined): Promise<string> {
  if (lead.name || !lead.personal || !personalData) return lead.name;
  try {
    const opening = await personalData.open<{ name?: unknown }>(lead.personal);
    return !opening.erased && typeof opening.fields.name === 'string' ? opening.fields.name : '';
  } catch (error) {
    if (isPersonalDataUnavailable(error)) return '';
    throw error;
  }
}

// Keeps the lead's owner and status (who may plan work on it); an assignment tells the new owner, and after an SLA sweep the previous one.
// The handler, given where lead people are opened (without one, an assignment names the company only).
export const notifyOnLeadEvent =
  (personalData?: PersonalDataOpener) =>
  (event: LeadFact, manager: EntityManager): Promise<void> =>
    applyLeadEvent(event, manager, personalData);

async function applyLeadEvent(event: LeadFact, manager: EntityManager, personalData: PersonalDataOpener | undefined): Promise<void> {
  const { data } = event;
  await upsertLeads(manager, [
    { id: data.leadId, version: data.version, name: data.lead.name, company: data.lead.company, status: data.lead.status, ownerId: data.lead.ownerId },
  ]);
  if (event.type !== 'sales.lead.assigned.v1') return;
  const assigned = event.data;
  const drafts = notificationsForLeadAssignment({
    eventId: event.id,
    leadId: assigned.leadId,
    leadName: await personNameOf(assigned.lead, personalData),
    company: assigned.lead.company,
    ownerId: assigned.ownerId,
    previousOwnerId: assigned.previousOwnerId,
    assignedBy: assigned.assignedBy,
    reason: assigned.reason,
  });
  await recordNotifications(manager, drafts, new Date());
}
