import type { AnyPipelineEvent } from '@pipeline/events';
import type { ChunkContext } from '@pipeline/messaging';
import { type PersonalDataOpener, personNameForText } from '@pipeline/server-kit';
import type { EntityManager } from 'typeorm';

import { notificationsForLeadAssignment } from '../../domain/notification';
import { upsertLeads } from '../../persistence/snapshot-repository';
import { recordNotifications } from '../../use-cases/record-notifications/record-notifications';

type LeadFact = Extract<AnyPipelineEvent, { data: { leadId: string; lead: unknown } }>;
type LeadAssigned = Extract<AnyPipelineEvent, { type: 'sales.lead.assigned.v1' }>;

// Keeps the lead's owner and status (who may plan work on it); an assignment tells the new owner, and after an SLA sweep
// the previous one. One upsert and one notification insert per chunk of lead events.
export const notifyOnLeadEvent =
  (personalData: PersonalDataOpener) =>
  async (event: LeadFact, _manager: EntityManager, chunk: ChunkContext): Promise<void> => {
    const { data } = event;
    chunk.collect(
      'engagement-leads',
      {
        id: data.leadId,
        version: data.version,
        name: data.lead.name,
        company: data.lead.company,
        status: data.lead.status,
        ownerId: data.lead.ownerId,
        personal: data.lead.personal ?? null,
      },
      upsertLeads,
    );
    if (event.type === 'sales.lead.assigned.v1') {
      chunk.collect('lead-assignments', event, (manager: EntityManager, assignments: LeadAssigned[]) => notifyAssignments(manager, assignments, personalData));
    }
  };

// The names are opened through the lead service side by side, not one request after another; erased or unreachable,
// the company names the lead (a notification never waits on it).
async function notifyAssignments(manager: EntityManager, assignments: readonly LeadAssigned[], personalData: PersonalDataOpener): Promise<void> {
  const names = await Promise.all(assignments.map((assigned) => personNameForText(personalData, assigned.data.lead)));
  const drafts = assignments.flatMap(({ id, data }, index) =>
    notificationsForLeadAssignment({
      eventId: id,
      leadId: data.leadId,
      leadName: names[index],
      company: data.lead.company,
      ownerId: data.ownerId,
      previousOwnerId: data.previousOwnerId,
      assignedBy: data.assignedBy,
      reason: data.reason,
    }),
  );
  await recordNotifications(manager, drafts, new Date());
}
