import { newId } from '@pipeline/domain';
import { decodeCursor, encodeCursor, type Page } from '@pipeline/persistence';
import type { EntityManager } from 'typeorm';

import type { Notification, NotificationDraft, NotificationKind } from '../domain/notification';
import { updatedRows } from './update-result';

interface NotificationRecord {
  id: string;
  recipient_id: string;
  recipient_team_id: string | null;
  kind: NotificationKind;
  title: string;
  body: string;
  lead_id: string | null;
  opportunity_id: string | null;
  task_id: string | null;
  source_key: string;
  created_at: Date;
  read_at: Date | null;
}

const toNotification = (row: NotificationRecord): Notification => ({
  id: row.id,
  recipientId: row.recipient_id,
  recipientTeamId: row.recipient_team_id,
  kind: row.kind,
  title: row.title,
  body: row.body,
  leadId: row.lead_id,
  opportunityId: row.opportunity_id,
  taskId: row.task_id,
  sourceKey: row.source_key,
  createdAt: row.created_at,
  readAt: row.read_at,
});

// One per cause, recipient and kind: a redelivered fact or a repeated sweep writes nothing new. Returns what was written.
export async function insertNotifications(manager: EntityManager, drafts: readonly NotificationDraft[], now: Date): Promise<Notification[]> {
  if (drafts.length === 0) return [];
  const rows = drafts.map((draft) => ({
    id: newId(),
    recipient_id: draft.recipientId,
    kind: draft.kind,
    title: draft.title,
    body: draft.body,
    lead_id: draft.leadId,
    opportunity_id: draft.opportunityId,
    task_id: draft.taskId,
    source_key: draft.sourceKey,
  }));
  const inserted: NotificationRecord[] = await manager.query(
    `INSERT INTO notification (id, recipient_id, recipient_team_id, kind, title, body, lead_id, opportunity_id, task_id, source_key, created_at)
     SELECT n.id, n.recipient_id, rep.team_id, n.kind, n.title, n.body, n.lead_id, n.opportunity_id, n.task_id, n.source_key, $2
       FROM jsonb_to_recordset($1::jsonb) AS n(id uuid, recipient_id text, kind text, title text, body text, lead_id uuid, opportunity_id uuid, task_id uuid, source_key text)
       LEFT JOIN rep ON rep.id::text = n.recipient_id
     ON CONFLICT (source_key, recipient_id, kind) DO NOTHING
     RETURNING *`,
    [JSON.stringify(rows), now],
  );
  return inserted.map(toNotification);
}

// Newest first; each person reads only their own inbox, whatever their role.
export async function listNotifications(
  manager: EntityManager,
  recipientId: string,
  unreadOnly: boolean,
  first: number,
  after: string | null | undefined,
): Promise<Page<Notification>> {
  const values: unknown[] = [recipientId];
  const where = ['recipient_id = $1'];
  if (unreadOnly) where.push('read_at IS NULL');
  const [{ count }] = await manager.query(`SELECT count(*)::int AS count FROM notification WHERE ${where.join(' AND ')}`, values);
  const cursor = decodeCursor(after, ['timestamptz', 'uuid']);
  if (cursor) {
    values.push(cursor[0], cursor[1]);
    where.push(`(created_at, id) < ($${values.length - 1}::timestamptz, $${values.length}::uuid)`);
  }
  values.push(first + 1);
  const rows: NotificationRecord[] = await manager.query(
    `SELECT * FROM notification WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${values.length}`,
    values,
  );
  return { items: rows.slice(0, first).map(toNotification), hasNextPage: rows.length > first, totalCount: count };
}

export const notificationCursor = (notification: Notification): string => encodeCursor([notification.createdAt.toISOString(), notification.id]);

export async function unreadCount(manager: EntityManager, recipientId: string): Promise<number> {
  const [{ count }] = await manager.query('SELECT count(*)::int AS count FROM notification WHERE recipient_id = $1 AND read_at IS NULL', [recipientId]);
  return count;
}

// Only the recipient's own rows are touched: someone else's ids change nothing.
export async function markRead(manager: EntityManager, recipientId: string, ids: readonly string[] | null, now: Date): Promise<number> {
  const result: unknown =
    ids === null
      ? await manager.query('UPDATE notification SET read_at = $2 WHERE recipient_id = $1 AND read_at IS NULL RETURNING id', [recipientId, now])
      : await manager.query('UPDATE notification SET read_at = $2 WHERE recipient_id = $1 AND read_at IS NULL AND id = ANY($3::uuid[]) RETURNING id', [
          recipientId,
          now,
          ids,
        ]);
  return updatedRows(result).length;
}

export async function notificationsFor(manager: EntityManager, recipientId: string): Promise<Notification[]> {
  const rows: NotificationRecord[] = await manager.query('SELECT * FROM notification WHERE recipient_id = $1 ORDER BY created_at, id', [recipientId]);
  return rows.map(toNotification);
}
