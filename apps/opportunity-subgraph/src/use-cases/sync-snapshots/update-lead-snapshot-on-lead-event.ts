import type { AnyPipelineEvent } from '@pipeline/events';
import type { ChunkContext } from '@pipeline/messaging';
import type { EntityManager } from 'typeorm';

import { upsertLeadSnapshots } from '../../persistence/snapshot-repository';

type LeadEvent = Extract<AnyPipelineEvent, { data: { leadId: string; lead: unknown } }>;

// Every lead event carries the lead's state: keep the newest, so conversion can check qualification without a call.
// Collected, so a chunk of events is one upsert at its end.
export async function updateLeadSnapshotOnLeadEvent(event: LeadEvent, _manager: EntityManager, chunk: ChunkContext): Promise<void> {
  chunk.collect('lead-snapshots', { leadId: event.data.leadId, version: event.data.version, lead: event.data.lead }, upsertLeadSnapshots);
}
