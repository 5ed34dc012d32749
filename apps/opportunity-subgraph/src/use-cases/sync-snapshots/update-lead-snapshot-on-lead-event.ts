import type { EntityManager } from 'typeorm';
import type { AnyPipelineEvent } from '@pipeline/events';
import { upsertLeadSnapshot } from '../../persistence/snapshot-repository';

type LeadEvent = Extract<AnyPipelineEvent, { data: { leadId: string; lead: unknown } }>;

// Every lead event carries the lead's state: keep the newest, so conversion can check qualification without a call.
export async function updateLeadSnapshotOnLeadEvent(event: LeadEvent, manager: EntityManager): Promise<void> {
  await upsertLeadSnapshot(manager, event.data.leadId, event.data.version, event.data.lead);
}
