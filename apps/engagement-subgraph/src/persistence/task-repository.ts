import type { Visibility } from '@pipeline/domain';
import { decodeCursor, encodeCursor, type Page, visibilityCondition } from '@pipeline/persistence';
import type { EntityManager } from 'typeorm';

import type { Task, TaskStatus } from '../domain/task';

// The assignee's current team comes with every task (managers see their team's work).
const SELECT_TASK = `SELECT t.*, r.team_id AS assignee_team_id FROM task t LEFT JOIN rep r ON r.id = t.assignee_id`;

interface TaskRecord {
  id: string;
  title: string;
  notes: string | null;
  due_at: Date;
  assignee_id: string;
  assignee_team_id: string | null;
  lead_id: string | null;
  opportunity_id: string | null;
  status: TaskStatus;
  completed_at: Date | null;
  cancel_reason: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  version: number;
}

const toTask = (row: TaskRecord): Task => ({
  id: row.id,
  title: row.title,
  notes: row.notes,
  dueAt: row.due_at,
  assigneeId: row.assignee_id,
  assigneeTeamId: row.assignee_team_id,
  leadId: row.lead_id,
  opportunityId: row.opportunity_id,
  status: row.status,
  completedAt: row.completed_at,
  cancelReason: row.cancel_reason,
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  version: row.version,
});

export const TASK_OWNER_COLUMNS = { owner: 't.assignee_id', teamMembers: (team: string) => `SELECT id FROM rep WHERE team_id = ${team}` };

export async function findTask(manager: EntityManager, id: string, lock = false): Promise<Task | null> {
  const rows: TaskRecord[] = await manager.query(`${SELECT_TASK} WHERE t.id = $1${lock ? ' FOR UPDATE OF t' : ''}`, [id]);
  return rows[0] ? toTask(rows[0]) : null;
}

export async function insertTask(manager: EntityManager, task: Task): Promise<void> {
  await manager.query(
    `INSERT INTO task (id, title, notes, due_at, assignee_id, lead_id, opportunity_id, status, completed_at, cancel_reason, created_by, created_at, updated_at, version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [
      task.id,
      task.title,
      task.notes,
      task.dueAt,
      task.assigneeId,
      task.leadId,
      task.opportunityId,
      task.status,
      task.completedAt,
      task.cancelReason,
      task.createdBy,
      task.createdAt,
      task.updatedAt,
      task.version,
    ],
  );
}

// Written under the row lock taken by findTask(…, true); a new due time may be told about again.
export async function updateTask(manager: EntityManager, task: Task, dueChanged: boolean): Promise<void> {
  await manager.query(
    `UPDATE task SET due_at = $2, status = $3, completed_at = $4, cancel_reason = $5, updated_at = $6, version = $7
       ${dueChanged ? ', due_notified_at = NULL, overdue_notified_at = NULL' : ''}
     WHERE id = $1`,
    [task.id, task.dueAt, task.status, task.completedAt, task.cancelReason, task.updatedAt, task.version],
  );
}

export interface TaskListFilter {
  status: TaskStatus | null;
  overdue: boolean;
  assigneeId: string | null;
  leadId: string | null;
  opportunityId: string | null;
  dueBefore?: Date;
}

// Due time first (what is most urgent), id to break ties; keyset paging.
export async function listTasks(
  manager: EntityManager,
  visibility: Visibility,
  filter: TaskListFilter,
  now: Date,
  first: number,
  after: string | null | undefined,
): Promise<Page<Task>> {
  const values: unknown[] = [];
  const add = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const where = [visibilityCondition(visibility, TASK_OWNER_COLUMNS, add)];
  if (filter.overdue) where.push(`t.status = 'OPEN' AND t.due_at < ${add(now)}`);
  else if (filter.status) where.push(`t.status = ${add(filter.status)}`);
  if (filter.assigneeId) where.push(`t.assignee_id = ${add(filter.assigneeId)}::uuid`);
  if (filter.leadId) where.push(`t.lead_id = ${add(filter.leadId)}::uuid`);
  if (filter.opportunityId) where.push(`t.opportunity_id = ${add(filter.opportunityId)}::uuid`);
  if (filter.dueBefore) where.push(`t.due_at < ${add(filter.dueBefore)}`);
  const [{ count }] = await manager.query(`SELECT count(*)::int AS count FROM task t WHERE ${where.join(' AND ')}`, values);
  const cursor = decodeCursor(after, ['timestamptz', 'uuid']);
  if (cursor) where.push(`(t.due_at, t.id) > (${add(cursor[0])}::timestamptz, ${add(cursor[1])}::uuid)`);
  const rows: TaskRecord[] = await manager.query(`${SELECT_TASK} WHERE ${where.join(' AND ')} ORDER BY t.due_at, t.id LIMIT ${add(first + 1)}`, values);
  return { items: rows.slice(0, first).map(toTask), hasNextPage: rows.length > first, totalCount: count };
}

export const taskCursor = (task: Task): string => encodeCursor([task.dueAt.toISOString(), task.id]);

// The tasks of many leads or opportunities in one statement (DataLoader batches), open ones first by due time.
export async function tasksBySubjects(manager: EntityManager, column: 'lead_id' | 'opportunity_id', ids: readonly string[]): Promise<Task[]> {
  const rows: TaskRecord[] = await manager.query(`${SELECT_TASK} WHERE t.${column} = ANY($1::uuid[]) ORDER BY t.status <> 'OPEN', t.due_at, t.id`, [ids]);
  return rows.map(toTask);
}
