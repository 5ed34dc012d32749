import type { EntityManager } from 'typeorm';
import type { TypedCloudEvent } from '@pipeline/events';

// Reps and teams, for team filters, team visibility and per-team reports.
export async function projectRepOnRepEvent(event: TypedCloudEvent<'sales.rep.registered.v1' | 'sales.rep.updated.v1'>, manager: EntityManager): Promise<void> {
  const { data } = event;
  await manager.query(
    `INSERT INTO rep_fact (rep_id, name, team_id, active, version) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (rep_id) DO UPDATE SET name = EXCLUDED.name, team_id = EXCLUDED.team_id, active = EXCLUDED.active, version = EXCLUDED.version
     WHERE rep_fact.version < EXCLUDED.version`,
    [data.repId, data.name, data.teamId, data.active, data.version],
  );
}
