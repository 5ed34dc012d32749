import type { TypedCloudEvent } from '@pipeline/events';
import type { ChunkContext } from '@pipeline/messaging';
import { upsertRepSnapshots } from '@pipeline/persistence';
import type { EntityManager } from 'typeorm';

// Reps' teams decide what managers see; the newest version wins. Collected, so a chunk of events is one upsert.
export async function updateRepSnapshotOnRepEvent(
  event: TypedCloudEvent<'sales.rep.registered.v1' | 'sales.rep.updated.v1'>,
  _manager: EntityManager,
  chunk: ChunkContext,
): Promise<void> {
  const { repId, teamId, active, version } = event.data;
  chunk.collect('rep-snapshots', { repId, teamId, active, version }, upsertRepSnapshots);
}
