import { createCloudEvent, type EventDataMap, TOPICS } from '@pipeline/events';
import type { OutboxEntry } from '@pipeline/persistence';

import type { Task } from '../domain/task';

export const SOURCE = '/sales/engagement-subgraph';

type TaskEventType = 'sales.task.created.v1' | 'sales.task.completed.v1' | 'sales.task.rescheduled.v1' | 'sales.task.cancelled.v1';
type TaskState = 'taskId' | 'version' | 'leadId' | 'opportunityId' | 'assigneeId' | 'title' | 'dueAt' | 'status' | 'occurredAt' | 'actorId';

// Keyed by task id, so one task's changes stay in order; each fact carries the task's state after the change. The title
// (and a cancel reason) of a task on a lead often names the lead's person: published only encrypted with that lead's key
// ("" and null in the plain fields), which erasing the lead destroys.
export function taskEvent<T extends TaskEventType>(type: T, task: Task, actorId: string | null, at: Date, data: Omit<EventDataMap[T], TaskState>): OutboxEntry {
  const payload = {
    taskId: task.id,
    version: task.version,
    leadId: task.leadId,
    opportunityId: task.opportunityId,
    assigneeId: task.assigneeId,
    title: task.leadId ? '' : task.title,
    dueAt: task.dueAt.toISOString(),
    status: task.status,
    occurredAt: at.toISOString(),
    actorId,
    ...data,
    ...(task.leadId && 'reason' in data ? { reason: null } : {}),
  } as EventDataMap[T];
  const typed = 'reason' in data ? { title: task.title, reason: data.reason } : { title: task.title };
  return {
    topic: TOPICS.taskEvents,
    aggregateType: 'task',
    event: createCloudEvent({ type, source: SOURCE, subject: task.id, time: at, data: payload }),
    ...(task.leadId ? { personal: { subjectId: task.leadId, path: [], fields: typed } } : {}),
  };
}
