import { type Actor, assertCanWriteAnything, badInput, newId, notFound, parseDateTime, parseId, parseText, requireText } from '@pipeline/domain';

import { planCreateTask, type Task } from '../../domain/task';
import { taskEvent } from '../../events/task-events';
import { findAssignee, findWorkRecord } from '../../persistence/snapshot-repository';
import { appendRedactedTaskEvents, saveTaskPersonText } from '../../persistence/task-person-text';
import { insertTask } from '../../persistence/task-repository';
import type { EngagementDeps } from '../deps';
import { awaitSnapshots } from '../shared/await-snapshot';
import { taskPersonText } from '../shared/task-person-text';

export interface CreateTaskInput {
  title?: unknown;
  notes?: unknown;
  dueAt?: unknown;
  assigneeId?: unknown;
  leadId?: unknown;
  opportunityId?: unknown;
}

// Parse → load → plan (pure) → apply: the task row and its fact in one transaction.
export async function createTask(deps: EngagementDeps, actor: Actor, input: CreateTaskInput): Promise<Task> {
  assertCanWriteAnything(actor);
  const title = requireText(input.title, 'title', { maxLength: 200 });
  const notes = parseText(input.notes, 'notes', { maxLength: 2_000 });
  const dueAt = parseDateTime(input.dueAt, 'dueAt');
  const hasLead = input.leadId !== undefined && input.leadId !== null;
  const hasOpportunity = input.opportunityId !== undefined && input.opportunityId !== null;
  if (hasLead === hasOpportunity) throw badInput(hasLead ? 'opportunityId' : 'leadId', 'A task is planned on exactly one lead or one opportunity');
  const record = hasLead
    ? { kind: 'LEAD' as const, id: parseId(input.leadId, 'leadId') }
    : { kind: 'OPPORTUNITY' as const, id: parseId(input.opportunityId, 'opportunityId') };
  const assigneeId = input.assigneeId === undefined || input.assigneeId === null ? actor.userId : parseId(input.assigneeId, 'assigneeId');
  await awaitSnapshots(deps, record, assigneeId);
  const personText = await taskPersonText(deps, record, { title, notes });
  return deps.dataSource.transaction(async (manager) => {
    const work = await findWorkRecord(manager, record.kind, record.id);
    if (!work) throw notFound(record.kind === 'LEAD' ? 'Lead' : 'Opportunity', record.id);
    const assignee = await findAssignee(manager, assigneeId);
    if (!assignee) throw badInput('assigneeId', `No sales rep ${assigneeId} is known`);
    const now = deps.now();
    const task = planCreateTask(actor, work, assignee, { id: newId(), title, notes, dueAt }, now);
    await insertTask(manager, task);
    if (personText) await saveTaskPersonText(manager, task.id, personText);
    await appendRedactedTaskEvents(manager, [taskEvent('sales.task.created.v1', task, actor.userId, now, {})]);
    return task;
  });
}
