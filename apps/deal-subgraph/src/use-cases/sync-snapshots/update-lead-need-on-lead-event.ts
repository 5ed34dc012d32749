import type { EntityManager } from 'typeorm';
import type { AnyPipelineEvent } from '@pipeline/events';
import { upsertLeadNeed } from '../../persistence/snapshot-repository';

type LeadEvent = Extract<AnyPipelineEvent, { data: { leadId: string; lead: unknown } }>;

// The need a lead stated during qualification tailors its proposals.
export async function updateLeadNeedOnLeadEvent(event: LeadEvent, manager: EntityManager): Promise<void> {
  await upsertLeadNeed(manager, event.data.leadId, event.data.version, event.data.lead.name, event.data.lead.company, event.data.lead.need);
}
