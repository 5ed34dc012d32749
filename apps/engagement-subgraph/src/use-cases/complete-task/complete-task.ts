import type { Actor } from '@pipeline/domain';

import { planCompleteTask, type Task } from '../../domain/task';
import { taskEvent } from '../../events/task-events';
import type { EngagementDeps } from '../deps';
import { changeTask, parseExpectedVersion } from '../shared/change-task';

export async function completeTask(deps: EngagementDeps, actor: Actor, input: { taskId: unknown; expectedVersion?: unknown }): Promise<Task> {
  const expectedVersion = parseExpectedVersion(input.expectedVersion);
  return changeTask(
    deps,
    input.taskId,
    (task, now) => planCompleteTask(actor, task, expectedVersion, now),
    (_before, after, now) => taskEvent('sales.task.completed.v1', after, actor.userId, now, { completedAt: now.toISOString() }),
  );
}
