import type { AnyPipelineEvent } from '@pipeline/events';
import { type PersonalDataOpener, personNameForText } from '@pipeline/server-kit';
import type { EntityManager } from 'typeorm';

import { notificationsForLeadAssignment } from '../../domain/notification';
import { upsertLeads } from '../../persistence/snapshot-repository';
import { recordNotifications } from '../../use-cases/record-notifications/record-notifications';

type LeadFact = Extract<AnyPipelineEvent, { data: { leadId: string; lead: unknown } }>;

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
    // Erased or the lead service unreachable: the company names the lead (a notification never waits on it).
    leadName: await personNameForText(personalData, assigned.lead),
    company: assigned.lead.company,
    ownerId: assigned.ownerId,
    previousOwnerId: assigned.previousOwnerId,
    assignedBy: assigned.assignedBy,
    reason: assigned.reason,
  });
  await recordNotifications(manager, drafts, new Date());
}
