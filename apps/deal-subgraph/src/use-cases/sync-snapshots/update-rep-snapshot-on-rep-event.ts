import type { EntityManager } from 'typeorm';
import type { TypedCloudEvent } from '@pipeline/events';
import { upsertRepSnapshot } from '@pipeline/persistence';

export async function updateRepSnapshotOnRepEvent(event: TypedCloudEvent<'sales.rep.registered.v1' | 'sales.rep.updated.v1'>, manager: EntityManager): Promise<void> {
  await upsertRepSnapshot(manager, event.data);
}
