import { EntitySchema, type EntityManager } from 'typeorm';

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
});

export async function upsertRepSnapshot(manager: EntityManager, rep: { repId: string; teamId: string | null; active: boolean; version: number }): Promise<void> {
  await manager.query(
    `INSERT INTO rep_snapshot (id, team_id, active, version) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET team_id = EXCLUDED.team_id, active = EXCLUDED.active, version = EXCLUDED.version
     WHERE rep_snapshot.version < EXCLUDED.version`,
    [rep.repId, rep.teamId, rep.active, rep.version],
  );
}
