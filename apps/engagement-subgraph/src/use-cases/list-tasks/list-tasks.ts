import { type Actor, badInput, isOneOf, parseId, visibilityOf } from '@pipeline/domain';
import { type Connection, pageSize, toConnection } from '@pipeline/persistence';

import { type Task, TASK_STATUSES } from '../../domain/task';
import { listTasks, taskCursor } from '../../persistence/task-repository';
import type { EngagementDeps } from '../deps';

export interface TaskFilterInput {
  status?: unknown;
  overdue?: unknown;
  assigneeId?: unknown;
  mine?: unknown;
  leadId?: unknown;
  opportunityId?: unknown;
}

const optionalId = (value: unknown, field: string): string | null => (value === undefined || value === null ? null : parseId(value, field));

// The caller's visibility always applies; the filter only narrows it ("overdue" is the reps' morning list).
export async function listVisibleTasks(
  deps: EngagementDeps,
  actor: Actor,
  filter: TaskFilterInput,
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<Connection<Task>> {
  if (filter.status !== undefined && filter.status !== null && !isOneOf(TASK_STATUSES, filter.status))
    throw badInput('status', `status must be one of ${TASK_STATUSES.join(', ')}`);
  const assigneeId = filter.mine === true ? actor.userId : optionalId(filter.assigneeId, 'assigneeId');
  const page = await listTasks(
    deps.dataSource.manager,
    visibilityOf(actor),
    {
      status: (filter.status as Task['status'] | null | undefined) ?? null,
      overdue: filter.overdue === true,
      assigneeId,
      leadId: optionalId(filter.leadId, 'leadId'),
      opportunityId: optionalId(filter.opportunityId, 'opportunityId'),
    },
    deps.now(),
    pageSize(first),
    after,
  );
  return toConnection(page, taskCursor);
}
