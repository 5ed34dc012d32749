import type { AnyPipelineEvent } from '@pipeline/events';
import type { EntityManager } from 'typeorm';

import { notificationsForLeadAssignment } from '../../domain/notification';
import { upsertLeads } from '../../persistence/snapshot-repository';
import { recordNotifications } from '../../use-cases/record-notifications/record-notifications';

type LeadFact = Extract<AnyPipelineEvent, { data: { leadId: string; lead: unknown } }>;

// Keeps the lead's owner and status (who may plan work on it); an assignment tells the new owner, and after an SLA sweep the previous one.
export async function notifyOnLeadEvent(event: LeadFact, manager: EntityManager): Promise<void> {
  const { data } = event;
  await upsertLeads(manager, [
    { id: data.leadId, version: data.version, name: data.lead.name, company: data.lead.company, status: data.lead.status, ownerId: data.lead.ownerId },
  ]);
  if (event.type !== 'sales.lead.assigned.v1') return;
  const assigned = event.data;
  const drafts = notificationsForLeadAssignment({
    eventId: event.id,
    leadId: assigned.leadId,
    leadName: assigned.lead.name,
    company: assigned.lead.company,
    ownerId: assigned.ownerId,
    previousOwnerId: assigned.previousOwnerId,
    assignedBy: assigned.assignedBy,
    reason: assigned.reason,
  });
  await recordNotifications(manager, drafts, new Date());
}
