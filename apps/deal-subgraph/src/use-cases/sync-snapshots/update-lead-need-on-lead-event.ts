import type { AnyPipelineEvent } from '@pipeline/events';
import type { ChunkContext } from '@pipeline/messaging';
import type { EntityManager } from 'typeorm';

import { upsertLeadNeeds } from '../../persistence/snapshot-repository';

type LeadEvent = Extract<AnyPipelineEvent, { data: { leadId: string; lead: unknown } }>;

// The need a lead stated during qualification tailors its proposals; one upsert per chunk of lead events.
export async function updateLeadNeedOnLeadEvent(event: LeadEvent, _manager: EntityManager, chunk: ChunkContext): Promise<void> {
  const { data } = event;
  chunk.collect(
    'lead-needs',
    { id: data.leadId, version: data.version, name: data.lead.name, company: data.lead.company, need: data.lead.need, personal: data.lead.personal ?? null },
    upsertLeadNeeds,
  );
}
