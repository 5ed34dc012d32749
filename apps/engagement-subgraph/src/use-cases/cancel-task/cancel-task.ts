import { type Actor, parseText } from '@pipeline/domain';

import { planCancelTask, type Task } from '../../domain/task';
import { taskEvent } from '../../events/task-events';
import type { EngagementDeps } from '../deps';
import { changeTask, parseExpectedVersion } from '../shared/change-task';

export async function cancelTask(deps: EngagementDeps, actor: Actor, input: { taskId: unknown; reason?: unknown; expectedVersion?: unknown }): Promise<Task> {
  const reason = parseText(input.reason, 'reason', { maxLength: 500 });
  const expectedVersion = parseExpectedVersion(input.expectedVersion);
  return changeTask(
    deps,
    input.taskId,
    (task, now) => planCancelTask(actor, task, reason, expectedVersion, now),
    (_before, after, now) => taskEvent('sales.task.cancelled.v1', after, actor.userId, now, { reason }),
  );
}
