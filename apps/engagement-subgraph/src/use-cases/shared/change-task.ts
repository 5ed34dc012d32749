import { badInput, notFound, parseId } from '@pipeline/domain';
import type { OutboxEntry } from '@pipeline/persistence';

import type { Task } from '../../domain/task';
import { appendRedactedTaskEvents } from '../../persistence/task-person-text';
import { findTask, updateTask } from '../../persistence/task-repository';
import type { EngagementDeps } from '../deps';

export function parseExpectedVersion(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isInteger(value) || (value as number) < 1) throw badInput('expectedVersion', 'expectedVersion must be a whole number from 1');
  return value as number;
}

// The shape every change to a task shares: lock the row, plan the change (pure), write it and its fact together.
export async function changeTask(
  deps: EngagementDeps,
  rawId: unknown,
  plan: (task: Task, now: Date) => Task,
  fact: (before: Task, after: Task, now: Date) => OutboxEntry,
): Promise<Task> {
  const id = parseId(rawId, 'taskId');
  return deps.dataSource.transaction(async (manager) => {
    const task = await findTask(manager, id, true);
    if (!task) throw notFound('Task', id);
    const now = deps.now();
    const next = plan(task, now);
    await updateTask(manager, next, next.dueAt.getTime() !== task.dueAt.getTime());
    await appendRedactedTaskEvents(manager, [fact(task, next, now)]);
    return next;
  });
}
