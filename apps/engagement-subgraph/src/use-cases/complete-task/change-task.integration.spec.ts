import { adminActor, analystActor, errorCodes, expectNoErrors, managerActor, repActor, type TestService } from '@pipeline/testing';

import { arrangeOpportunity, arrangeRep, startEngagementService, TASK_FIELDS } from '../../test-support';

const CREATE = `mutation($input: CreateTaskInput!) { createTask(input: $input) { task { ${TASK_FIELDS} } } }`;
const COMPLETE = `mutation($input: CompleteTaskInput!) { completeTask(input: $input) { task { ${TASK_FIELDS} } } }`;
const RESCHEDULE = `mutation($input: RescheduleTaskInput!) { rescheduleTask(input: $input) { task { ${TASK_FIELDS} } } }`;
const CANCEL = `mutation($input: CancelTaskInput!) { cancelTask(input: $input) { task { ${TASK_FIELDS} } } }`;

describe('completing, rescheduling and cancelling tasks', () => {
  let subject: TestService;
  let owner: string;
  let opportunityId: string;

  beforeAll(async () => {
    subject = await startEngagementService('change_task');
    owner = await arrangeRep(subject, 'north');
    opportunityId = await arrangeOpportunity(subject, owner);
  });
  afterAll(async () => subject?.stop());

  const rep = () => repActor(owner, 'north');
  const newTask = async (): Promise<string> =>
    expectNoErrors(await subject.as(rep())<any>(CREATE, { input: { title: 'Send the case study', dueAt: '2026-12-10T09:00:00Z', opportunityId } })).createTask
      .task.id;
  const outboxTypes = async (taskId: string): Promise<string[]> =>
    (await subject.service.dataSource.query(`SELECT type FROM outbox WHERE aggregateid = $1 ORDER BY seq`, [taskId])).map((row: { type: string }) => row.type);

  it('reschedules with the version seen, then completes; each change is one fact', async () => {
    // Arrange
    const taskId = await newTask();

    // Act
    const moved = expectNoErrors(await subject.as(rep())<any>(RESCHEDULE, { input: { taskId, dueAt: '2026-12-12T15:30:00+01:00', expectedVersion: 1 } }))
      .rescheduleTask.task;
    const done = expectNoErrors(await subject.as(managerActor('north'))<any>(COMPLETE, { input: { taskId, expectedVersion: 2 } })).completeTask.task;

    // Assert
    expect(moved).toMatchObject({ dueAt: '2026-12-12T14:30:00.000Z', version: 2, status: 'OPEN' });
    expect(done).toMatchObject({ status: 'DONE', version: 3 });
    expect(done.completedAt).not.toBeNull();
    expect(await outboxTypes(taskId)).toEqual(['sales.task.created.v1', 'sales.task.rescheduled.v1', 'sales.task.completed.v1']);
  });

  it('refuses a stale version and a finished task with CONFLICT, and changes nothing', async () => {
    // Arrange
    const taskId = await newTask();
    expectNoErrors(await subject.as(rep())(CANCEL, { input: { taskId, reason: 'duplicate' } }));

    // Act
    const stale = await subject.as(rep())(RESCHEDULE, { input: { taskId, dueAt: '2026-12-20T09:00:00Z', expectedVersion: 1 } });
    const again = await subject.as(rep())(COMPLETE, { input: { taskId } });

    // Assert
    expect(errorCodes(stale)).toEqual(['CONFLICT']);
    expect(errorCodes(again)).toEqual(['CONFLICT']);
    const [row] = await subject.service.dataSource.query('SELECT status, version, cancel_reason FROM task WHERE id = $1', [taskId]);
    expect(row).toEqual({ status: 'CANCELLED', version: 2, cancel_reason: 'duplicate' });
    expect(await outboxTypes(taskId)).toEqual(['sales.task.created.v1', 'sales.task.cancelled.v1']);
  });

  it('hides the task from another rep and another team’s manager, lets an analyst read but not change it, and lets an admin change it', async () => {
    // Arrange
    const taskId = await newTask();
    const stranger = await arrangeRep(subject, 'north');

    // Act
    const codes = [
      errorCodes(await subject.as(repActor(stranger, 'north'))(COMPLETE, { input: { taskId } })),
      errorCodes(await subject.as(managerActor('south'))(COMPLETE, { input: { taskId } })),
      errorCodes(await subject.as(analystActor())(COMPLETE, { input: { taskId } })),
    ];
    const byAdmin = expectNoErrors(await subject.as(adminActor())<any>(COMPLETE, { input: { taskId } })).completeTask.task;

    // Assert
    expect(codes).toEqual([['NOT_FOUND'], ['NOT_FOUND'], ['FORBIDDEN']]);
    expect(byAdmin.status).toBe('DONE');
  });

  it('refuses an id that is not a uuid as BAD_USER_INPUT and an unknown one as NOT_FOUND', async () => {
    expect(errorCodes(await subject.as(rep())(COMPLETE, { input: { taskId: 'nope' } }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await subject.as(rep())(COMPLETE, { input: { taskId: '00000000-0000-4000-8000-0000000000aa' } }))).toEqual(['NOT_FOUND']);
  });
});
