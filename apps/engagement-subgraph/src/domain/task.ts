import { type Actor, canRead, canWrite, conflict, forbidden, notFound, type OwnedRecord } from '@pipeline/domain';

export const TASK_STATUSES = ['OPEN', 'DONE', 'CANCELLED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

// A follow-up planned on a lead or an opportunity, due at a time, for one rep (its assignee, who owns it for visibility).
export interface Task {
  id: string;
  title: string;
  notes: string | null;
  dueAt: Date;
  assigneeId: string;
  assigneeTeamId: string | null;
  leadId: string | null;
  opportunityId: string | null;
  status: TaskStatus;
  completedAt: Date | null;
  cancelReason: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

// The record a task is planned on, as this service knows it from the fact topics.
export interface WorkRecord extends OwnedRecord {
  kind: 'LEAD' | 'OPPORTUNITY';
  id: string;
  // Closed opportunities and converted or disqualified leads take no new follow-ups.
  open: boolean;
}

export interface Assignee {
  id: string;
  teamId: string | null;
  active: boolean;
}

export const taskOwnership = (task: Pick<Task, 'assigneeId' | 'assigneeTeamId'>): OwnedRecord => ({
  ownerId: task.assigneeId,
  ownerTeamId: task.assigneeTeamId,
});

export const isOverdue = (task: Pick<Task, 'status' | 'dueAt'>, now: Date): boolean => task.status === 'OPEN' && task.dueAt.getTime() < now.getTime();

// The earliest due time of the open tasks: what happens next on a record (null: nothing planned).
export function nextActivityAt(tasks: ReadonlyArray<Pick<Task, 'status' | 'dueAt'>>): Date | null {
  let next: Date | null = null;
  for (const task of tasks) if (task.status === 'OPEN' && (next === null || task.dueAt < next)) next = task.dueAt;
  return next;
}

export const overdueCount = (tasks: ReadonlyArray<Pick<Task, 'status' | 'dueAt'>>, now: Date): number => tasks.filter((task) => isOverdue(task, now)).length;

export interface NewTaskInput {
  id: string;
  title: string;
  notes: string | null;
  dueAt: Date;
}

// Whoever may change the record plans on it, for an assignee they may also act for (a rep for themselves, a manager for the team).
export function planCreateTask(actor: Actor, record: WorkRecord, assignee: Assignee, input: NewTaskInput, now: Date): Task {
  if (!canRead(actor, record)) throw notFound(record.kind === 'LEAD' ? 'Lead' : 'Opportunity', record.id);
  if (!canWrite(actor, record)) throw forbidden(`You may read this ${record.kind.toLowerCase()} but not plan work on it`);
  if (!canWrite(actor, { ownerId: assignee.id, ownerTeamId: assignee.teamId })) throw forbidden('You may not assign work to this rep');
  if (!assignee.active) throw conflict('The assignee is no longer active', { field: 'assigneeId' });
  if (!record.open) throw conflict(`This ${record.kind.toLowerCase()} is closed and takes no new tasks`);
  return {
    ...input,
    assigneeId: assignee.id,
    assigneeTeamId: assignee.teamId,
    leadId: record.kind === 'LEAD' ? record.id : null,
    opportunityId: record.kind === 'OPPORTUNITY' ? record.id : null,
    status: 'OPEN',
    completedAt: null,
    cancelReason: null,
    createdBy: actor.userId,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

// The shared checks of every change to an existing task: visible, writable, still open, the version the caller saw.
function assertChangeable(actor: Actor, task: Task, expectedVersion: number | null): void {
  if (!canRead(actor, taskOwnership(task))) throw notFound('Task', task.id);
  if (!canWrite(actor, taskOwnership(task))) throw forbidden('You may read this task but not change it');
  if (expectedVersion !== null && expectedVersion !== task.version)
    throw conflict(`Task ${task.id} is at version ${task.version}, not ${expectedVersion}`, { version: task.version });
  if (task.status !== 'OPEN') throw conflict(`Task ${task.id} is ${task.status}`, { status: task.status });
}

export function planCompleteTask(actor: Actor, task: Task, expectedVersion: number | null, now: Date): Task {
  assertChangeable(actor, task, expectedVersion);
  return { ...task, status: 'DONE', completedAt: now, updatedAt: now, version: task.version + 1 };
}

export function planRescheduleTask(actor: Actor, task: Task, dueAt: Date, expectedVersion: number | null, now: Date): Task {
  assertChangeable(actor, task, expectedVersion);
  return { ...task, dueAt, updatedAt: now, version: task.version + 1 };
}

export function planCancelTask(actor: Actor, task: Task, reason: string | null, expectedVersion: number | null, now: Date): Task {
  assertChangeable(actor, task, expectedVersion);
  return { ...task, status: 'CANCELLED', cancelReason: reason, updatedAt: now, version: task.version + 1 };
}
