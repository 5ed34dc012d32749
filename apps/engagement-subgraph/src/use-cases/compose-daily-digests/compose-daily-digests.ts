import { type Actor, addDays, parseDate, toIsoDate } from '@pipeline/domain';
import type { DataSource, EntityManager } from 'typeorm';

import { type DigestFigures, digestFor } from '../../domain/notification';
import type { Task } from '../../domain/task';
import { listTasks } from '../../persistence/task-repository';
import type { EngagementDeps } from '../deps';
import { recordNotifications } from '../record-notifications/record-notifications';

const dayBounds = (date: string): [Date, Date] => [new Date(`${date}T00:00:00Z`), new Date(`${addDays(date, 1)}T00:00:00Z`)];

// The figures of one UTC day for some people (all active reps and managers when ids is null), one statement.
async function digestFigures(manager: EntityManager, date: string, ids: string[] | null): Promise<DigestFigures[]> {
  const [start, end] = dayBounds(date);
  const rows: Array<{ id: string; overdue: number; due_today: number; unread: number }> = await manager.query(
    `SELECT r.id,
            (SELECT count(*)::int FROM task t WHERE t.assignee_id = r.id AND t.status = 'OPEN' AND t.due_at < $1) AS overdue,
            (SELECT count(*)::int FROM task t WHERE t.assignee_id = r.id AND t.status = 'OPEN' AND t.due_at >= $1 AND t.due_at < $2) AS due_today,
            (SELECT count(*)::int FROM notification n WHERE n.recipient_id = r.id::text AND n.read_at IS NULL) AS unread
       FROM rep r WHERE r.active AND r.role IN ('REP', 'MANAGER') AND ($3::uuid[] IS NULL OR r.id = ANY($3::uuid[]))`,
    [start, end, ids],
  );
  return rows.map((row) => ({ recipientId: row.id, date, overdue: row.overdue, dueToday: row.due_today, unread: row.unread }));
}

// The morning job: one DAILY_DIGEST per person and day (the notification's key makes repeated runs and replicas harmless).
export async function composeDailyDigests(dataSource: DataSource, now: Date): Promise<number> {
  const date = toIsoDate(now);
  return dataSource.transaction(async (manager) => {
    const drafts = (await digestFigures(manager, date, null)).flatMap((figures) => digestFor(figures) ?? []);
    return (await recordNotifications(manager, drafts, now)).length;
  });
}

export interface DailyDigest {
  date: string;
  overdueTaskCount: number;
  dueTodayCount: number;
  unreadNotificationCount: number;
  tasks: Task[];
}

// The caller's own day, computed live; the caller's own tasks only, whatever their role.
export async function readDailyDigest(deps: EngagementDeps, actor: Actor, rawDate: unknown): Promise<DailyDigest> {
  const date = rawDate === undefined || rawDate === null ? toIsoDate(deps.now()) : parseDate(rawDate, 'date');
  const manager = deps.dataSource.manager;
  const [, end] = dayBounds(date);
  const [{ overdue, due_today: dueToday, unread }] = await manager.query(
    `SELECT (SELECT count(*)::int FROM task WHERE assignee_id::text = $1 AND status = 'OPEN' AND due_at < $2) AS overdue,
            (SELECT count(*)::int FROM task WHERE assignee_id::text = $1 AND status = 'OPEN' AND due_at >= $2 AND due_at < $3) AS due_today,
            (SELECT count(*)::int FROM notification WHERE recipient_id = $1 AND read_at IS NULL) AS unread`,
    [actor.userId, dayBounds(date)[0], end],
  );
  const page = await listTasks(
    manager,
    { kind: 'own', userId: actor.userId },
    { status: 'OPEN', overdue: false, assigneeId: null, leadId: null, opportunityId: null, dueBefore: end },
    deps.now(),
    100,
    null,
  );
  return { date, overdueTaskCount: overdue, dueTodayCount: dueToday, unreadNotificationCount: unread, tasks: page.items };
}
