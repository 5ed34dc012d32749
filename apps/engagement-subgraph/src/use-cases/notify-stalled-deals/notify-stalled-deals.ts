import type { DataSource } from 'typeorm';

import type { NotificationDraft } from '../../domain/notification';
import { recordNotifications } from '../record-notifications/record-notifications';

const BATCH = 500;

// Tells the owner of an open opportunity that has stayed in its stage longer than stalledAfterDays, once per stay in a
// stage (a stage change clears the mark). Rows are locked SKIP LOCKED, so replicas running the sweep share the work.
export async function notifyStalledDeals(dataSource: DataSource, now: Date, stalledAfterDays: number): Promise<number> {
  if (stalledAfterDays <= 0) return 0;
  return dataSource.transaction(async (manager) => {
    const rows: Array<{ id: string; name: string; stage: string; owner_id: string; stage_entered_at: Date }> = await manager.query(
      `SELECT id, name, stage, owner_id, stage_entered_at FROM opportunity_snapshot
        WHERE status = 'OPEN' AND owner_id IS NOT NULL AND stalled_notified_at IS NULL AND stage_entered_at < $1
        ORDER BY stage_entered_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      [new Date(now.getTime() - stalledAfterDays * 86_400_000)],
    );
    const drafts: NotificationDraft[] = rows.map((row) => ({
      recipientId: row.owner_id,
      kind: 'DEAL_STALLED',
      title: `Deal stalled in ${row.stage}: ${row.name}`,
      body: `In ${row.stage} since ${row.stage_entered_at.toISOString().slice(0, 10)}, longer than the usual ${stalledAfterDays} days.`,
      leadId: null,
      opportunityId: row.id,
      taskId: null,
      sourceKey: `stalled:${row.id}:${row.stage_entered_at.toISOString()}`,
    }));
    await manager.query(`UPDATE opportunity_snapshot SET stalled_notified_at = $2 WHERE id = ANY($1::uuid[])`, [rows.map((row) => row.id), now]);
    return (await recordNotifications(manager, drafts, now)).length;
  });
}
