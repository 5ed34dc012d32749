import type { TypedCloudEvent } from '@pipeline/events';
import type { ChunkContext } from '@pipeline/messaging';
import type { EntityManager } from 'typeorm';

import { applyRepStates } from '../../persistence/projections';

// Reps and teams, for team filters, team visibility and per-team reports; one upsert per chunk.
export async function projectRepOnRepEvent(
  event: TypedCloudEvent<'sales.rep.registered.v1' | 'sales.rep.updated.v1'>,
  _manager: EntityManager,
  chunk: ChunkContext,
): Promise<void> {
  const { data } = event;
  chunk.collect('rep-states', { repId: data.repId, name: data.name, teamId: data.teamId, active: data.active, version: data.version }, applyRepStates);
}
