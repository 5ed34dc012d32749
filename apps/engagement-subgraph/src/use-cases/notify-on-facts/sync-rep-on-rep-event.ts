import type { TypedCloudEvent } from '@pipeline/events';
import type { EntityManager } from 'typeorm';

import { upsertReps } from '../../persistence/snapshot-repository';

// Reps' roles and teams: who a manager sees, who approves a team's discounts, which team's webhooks hear of a notification.
export async function syncRepOnRepEvent(event: TypedCloudEvent<'sales.rep.registered.v1' | 'sales.rep.updated.v1'>, manager: EntityManager): Promise<void> {
  const { repId, name, role, teamId, active, version } = event.data;
  await upsertReps(manager, [{ id: repId, name, role, teamId, active, version }]);
}
