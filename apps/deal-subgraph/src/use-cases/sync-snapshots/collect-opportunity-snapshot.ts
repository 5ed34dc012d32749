import type { ChunkContext } from '@pipeline/messaging';

import { type OpportunityState, upsertOpportunitySnapshots } from '../../persistence/snapshot-repository';

// Both opportunity streams write the same rows, so they share one group: one upsert per chunk, the newest version per opportunity.
export function collectOpportunitySnapshot(chunk: ChunkContext, state: OpportunityState): void {
  chunk.collect('opportunity-snapshots', state, upsertOpportunitySnapshots);
}
