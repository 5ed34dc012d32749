import { randomUUID } from 'node:crypto';

import { TOPICS } from '@pipeline/events';
import { adminActor, analystActor, errorCodes, expectNoErrors, managerActor, repActor, type TestService, TopicReader, waitFor } from '@pipeline/testing';

import { arrangeLead, arrangeOpportunity, arrangeRep, startEngagementService, TASK_FIELDS } from '../../test-support';

const CREATE = `mutation($input: CreateTaskInput!) { createTask(input: $input) { task { ${TASK_FIELDS} } } }`;
const DUE = '2026-12-10T09:00:00Z';

describe('creating a task', () => {
  let subject: TestService;
  let owner: string;
  let teammate: string;
  let outsider: string;
  let opportunityId: string;

  beforeAll(async () => {
    subject = await startEngagementService('create_task');
    [owner, teammate, outsider] = await Promise.all([arrangeRep(subject, 'north'), arrangeRep(subject, 'north'), arrangeRep(subject, 'south')]);
    opportunityId = await arrangeOpportunity(subject, owner);
  });
  afterAll(async () => subject?.stop());

  const taskCount = async () => (await subject.service.dataSource.query('SELECT count(*)::int AS count FROM task'))[0].count as number;

  it('plans a task on the rep’s own opportunity for themselves and publishes sales.task.created.v1 keyed by the task id', async () => {
    // Arrange
    const reader = new TopicReader([`${subject.topicPrefix}${TOPICS.taskEvents}`]);
    await reader.start();

    // Act
    const created = expectNoErrors(await subject.as(repActor(owner, 'north'))<any>(CREATE, { input: { title: 'Call the CFO', dueAt: DUE, opportunityId } }))
      .createTask.task;

    // Assert
    expect(created).toMatchObject({
      title: 'Call the CFO',
      dueAt: '2026-12-10T09:00:00.000Z',
      assigneeId: owner,
      status: 'OPEN',
      version: 1,
      opportunity: { id: opportunityId },
      lead: null,
    });
    const fact = await waitFor(() => reader.parsed().find(({ event }) => event.data?.taskId === created.id), { what: 'the task fact' }).finally(() =>
      reader.stop(),
    );
    expect(fact.message.key).toBe(created.id);
    expect(fact.event).toMatchObject({
      type: 'sales.task.created.v1',
      data: { assigneeId: owner, opportunityId, leadId: null, status: 'OPEN', version: 1, actorId: owner },
    });
  });

  it('plans on a lead too, and lets a manager assign a teammate', async () => {
    // Arrange
    const leadId = await arrangeLead(subject, teammate);

    // Act
    const created = expectNoErrors(
      await subject.as(managerActor('north'))<any>(CREATE, { input: { title: 'Qualify', dueAt: DUE, leadId, assigneeId: teammate } }),
    ).createTask.task;

    // Assert
    expect(created).toMatchObject({ assigneeId: teammate, lead: { id: leadId }, opportunity: null });
  });

  it.each([
    ['an analyst', () => analystActor(), {}, 'FORBIDDEN', undefined],
    ['a rep on another rep’s opportunity', () => repActor(teammate, 'north'), {}, 'NOT_FOUND', undefined],
    ['a rep assigning someone else', () => repActor(owner, 'north'), { assigneeId: 'TEAMMATE' }, 'FORBIDDEN', undefined],
    ['a manager assigning outside the team', () => managerActor('north'), { assigneeId: 'OUTSIDER' }, 'FORBIDDEN', undefined],
    ['an unknown assignee', () => adminActor(), { assigneeId: randomUUID() }, 'BAD_USER_INPUT', 'assigneeId'],
    ['a due time without offset', () => adminActor(), { dueAt: '2026-12-10 09:00' }, 'BAD_USER_INPUT', 'dueAt'],
    ['a blank title', () => adminActor(), { title: '   ' }, 'BAD_USER_INPUT', 'title'],
    ['both a lead and an opportunity', () => adminActor(), { leadId: randomUUID() }, 'BAD_USER_INPUT', 'opportunityId'],
  ])('refuses %s with a stable code and writes nothing', async (_case, actor, overrides, code, field) => {
    // Arrange
    const before = await taskCount();
    const resolved = Object.fromEntries(
      Object.entries(overrides).map(([key, value]) => [key, value === 'TEAMMATE' ? teammate : value === 'OUTSIDER' ? outsider : value]),
    );

    // Act
    const response = await subject.as(actor())(CREATE, { input: { title: 'Follow up', dueAt: DUE, opportunityId, assigneeId: owner, ...resolved } });

    // Assert
    expect(errorCodes(response)).toEqual([code]);
    if (field) expect(response.errors?.[0].extensions?.field).toBe(field);
    expect(await taskCount()).toBe(before);
  });

  it('refuses work on a closed opportunity with CONFLICT', async () => {
    // Arrange
    const won = await arrangeOpportunity(subject, owner, { category: 'WON', stage: 'CLOSED_WON' });

    // Act
    const response = await subject.as(repActor(owner, 'north'))(CREATE, { input: { title: 'Too late', dueAt: DUE, opportunityId: won } });

    // Assert
    expect(errorCodes(response)).toEqual(['CONFLICT']);
  });
});
