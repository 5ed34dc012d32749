import { type EntityManager, EntitySchema } from 'typeorm';

import { newestPerKey } from './newest-per-key';

// Sales reps as other services need them (team and activity, for visibility), kept from sales.rep-events.v1.
// The table is created by each service's own migration; the mapping and the version-guarded upsert are shared.
export interface RepSnapshotRow {
  id: string;
  teamId: string | null;
  active: boolean;
  version: number;
}

export const RepSnapshotEntity = new EntitySchema<RepSnapshotRow>({
  name: 'RepSnapshot',
  tableName: 'rep_snapshot',
  columns: {
    id: { type: 'uuid', primary: true },
    teamId: { type: 'text', name: 'team_id', nullable: true },
    active: { type: 'boolean' },
    version: { type: 'integer' },
  },
  // Manager scopes resolve a team to its reps.
  indices: [{ name: 'rep_snapshot_team_idx', columns: ['teamId'] }],
});

export interface RepSnapshotChange {
  repId: string;
  teamId: string | null;
  active: boolean;
  version: number;
}

// One statement for a chunk of rep events; a newer version never gives way to an older one, whatever the arrival order.
export async function upsertRepSnapshots(manager: EntityManager, changes: readonly RepSnapshotChange[]): Promise<void> {
  const rows = newestPerKey(changes, (change) => change.repId).map((rep) => ({ id: rep.repId, team_id: rep.teamId, active: rep.active, version: rep.version }));
  if (rows.length === 0) return;
  await manager.query(
    `INSERT INTO rep_snapshot (id, team_id, active, version)
     SELECT r.id, r.team_id, r.active, r.version FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, team_id text, active boolean, version integer)
     ON CONFLICT (id) DO UPDATE SET team_id = EXCLUDED.team_id, active = EXCLUDED.active, version = EXCLUDED.version
     WHERE rep_snapshot.version < EXCLUDED.version`,
    [JSON.stringify(rows)],
  );
}
