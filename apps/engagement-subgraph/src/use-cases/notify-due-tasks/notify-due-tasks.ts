import type { DataSource } from 'typeorm';

import { dueStateOf, type NotificationDraft } from '../../domain/notification';
import { recordNotifications } from '../record-notifications/record-notifications';

const BATCH = 500;

interface DueRow {
  id: string;
  title: string;
  due_at: Date;
  assignee_id: string;
  lead_id: string | null;
  opportunity_id: string | null;
  due_notified_at: Date | null;
}

// Tells assignees of tasks coming due (within leadMs) and of tasks gone overdue, once per due time: the rows are locked
// SKIP LOCKED and marked in the same transaction as the notifications, so replicas running the sweep share the work.
export async function notifyDueTasks(dataSource: DataSource, now: Date, leadMs: number): Promise<number> {
  return dataSource.transaction(async (manager) => {
    const rows: DueRow[] = await manager.query(
      `SELECT id, title, due_at, assignee_id, lead_id, opportunity_id, due_notified_at FROM task
        WHERE status = 'OPEN' AND due_at <= $1 AND (overdue_notified_at IS NULL AND (due_at <= $2 OR due_notified_at IS NULL))
        ORDER BY due_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      [new Date(now.getTime() + leadMs), now],
    );
    const drafts: NotificationDraft[] = [];
    const due: string[] = [];
    const overdue: string[] = [];
    for (const row of rows) {
      const state = dueStateOf(row.due_at, now, leadMs);
      if (state === 'NOT_YET') continue;
      const base = {
        recipientId: row.assignee_id,
        leadId: row.lead_id,
        opportunityId: row.opportunity_id,
        taskId: row.id,
        body: `Due ${row.due_at.toISOString()}`,
      };
      if (state === 'DUE') {
        due.push(row.id);
        drafts.push({ ...base, kind: 'TASK_DUE', title: `Task due soon: ${row.title}`, sourceKey: `task-due:${row.id}:${row.due_at.toISOString()}` });
      } else {
        overdue.push(row.id);
        drafts.push({ ...base, kind: 'TASK_OVERDUE', title: `Task overdue: ${row.title}`, sourceKey: `task-overdue:${row.id}:${row.due_at.toISOString()}` });
      }
    }
    await manager.query(`UPDATE task SET due_notified_at = $2 WHERE id = ANY($1::uuid[])`, [due, now]);
    await manager.query(`UPDATE task SET overdue_notified_at = $2, due_notified_at = coalesce(due_notified_at, $2) WHERE id = ANY($1::uuid[])`, [overdue, now]);
    return (await recordNotifications(manager, drafts, now)).length;
  });
}
