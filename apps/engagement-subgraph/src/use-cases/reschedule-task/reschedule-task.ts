import { type Actor, parseDateTime } from '@pipeline/domain';

import { planRescheduleTask, type Task } from '../../domain/task';
import { taskEvent } from '../../events/task-events';
import type { EngagementDeps } from '../deps';
import { changeTask, parseExpectedVersion } from '../shared/change-task';

export async function rescheduleTask(deps: EngagementDeps, actor: Actor, input: { taskId: unknown; dueAt: unknown; expectedVersion?: unknown }): Promise<Task> {
  const dueAt = parseDateTime(input.dueAt, 'dueAt');
  const expectedVersion = parseExpectedVersion(input.expectedVersion);
  return changeTask(
    deps,
    input.taskId,
    (task, now) => planRescheduleTask(actor, task, dueAt, expectedVersion, now),
    (before, after, now) => taskEvent('sales.task.rescheduled.v1', after, actor.userId, now, { previousDueAt: before.dueAt.toISOString() }),
  );
}
