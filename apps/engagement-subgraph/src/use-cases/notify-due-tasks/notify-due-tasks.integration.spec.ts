import { expectNoErrors, repActor, type TestService } from '@pipeline/testing';

import { arrangeOpportunity, arrangeRep, startEngagementService } from '../../test-support';
import { composeDailyDigests } from '../compose-daily-digests/compose-daily-digests';
import { notifyStalledDeals } from '../notify-stalled-deals/notify-stalled-deals';
import { notifyDueTasks } from './notify-due-tasks';

const CREATE = `mutation($input: CreateTaskInput!) { createTask(input: $input) { task { id } } }`;
const RESCHEDULE = `mutation($input: RescheduleTaskInput!) { rescheduleTask(input: $input) { task { id } } }`;
const HOUR = 3_600_000;

describe('the due, overdue and stalled sweeps', () => {
  let subject: TestService;
  let rep: string;

  beforeAll(async () => {
    subject = await startEngagementService('sweeps');
    rep = await arrangeRep(subject, 'north');
  });
  afterAll(async () => subject?.stop());

  const kinds = async (taskOrOpportunityId: string): Promise<string[]> =>
    (
      await subject.service.dataSource.query(
        'SELECT kind FROM notification WHERE recipient_id = $1 AND (task_id = $2 OR opportunity_id = $2) ORDER BY created_at, kind',
        [rep, taskOrOpportunityId],
      )
    ).map((row: { kind: string }) => row.kind);

  it('tells the assignee once when a task comes due, once when it is overdue, and again after a reschedule', async () => {
    // Arrange
    const opportunityId = await arrangeOpportunity(subject, rep);
    const dueAt = new Date('2026-12-10T09:00:00Z');
    const taskId = expectNoErrors<any>(
      await subject.as(repActor(rep, 'north'))(CREATE, { input: { title: 'Demo', dueAt: dueAt.toISOString(), opportunityId } }),
    ).createTask.task.id;
    const at = (offsetMs: number) => new Date(dueAt.getTime() + offsetMs);

    // Act
    const early = await notifyDueTasks(subject.service.dataSource, at(-3 * HOUR), HOUR);
    const dueTwice = [
      await notifyDueTasks(subject.service.dataSource, at(-HOUR / 2), HOUR),
      await notifyDueTasks(subject.service.dataSource, at(-HOUR / 4), HOUR),
    ];
    const overdueTwice = [
      await notifyDueTasks(subject.service.dataSource, at(HOUR), HOUR),
      await notifyDueTasks(subject.service.dataSource, at(2 * HOUR), HOUR),
    ];
    expectNoErrors(await subject.as(repActor(rep, 'north'))(RESCHEDULE, { input: { taskId, dueAt: at(24 * HOUR).toISOString() } }));
    const afterReschedule = await notifyDueTasks(subject.service.dataSource, at(25 * HOUR), HOUR);

    // Assert
    expect([early, ...dueTwice, ...overdueTwice, afterReschedule]).toEqual([0, 1, 0, 1, 0, 1]);
    expect(await kinds(taskId)).toEqual(['TASK_DUE', 'TASK_OVERDUE', 'TASK_OVERDUE']);
  });

  it('tells the owner once per stay that an open opportunity has stalled in its stage', async () => {
    // Arrange
    const entered = new Date('2026-11-01T00:00:00Z');
    const opportunityId = await arrangeOpportunity(subject, rep, { changedAt: entered.toISOString(), stage: 'PROPOSAL' });
    const day = 24 * HOUR;

    // Act
    const before = await notifyStalledDeals(subject.service.dataSource, new Date(entered.getTime() + 10 * day), 14);
    const stalled = await notifyStalledDeals(subject.service.dataSource, new Date(entered.getTime() + 15 * day), 14);
    const again = await notifyStalledDeals(subject.service.dataSource, new Date(entered.getTime() + 16 * day), 14);

    // Assert
    expect([before, stalled, again]).toEqual([0, 1, 0]);
    expect(await kinds(opportunityId)).toEqual(['DEAL_STALLED']);
  });

  it('writes one daily digest per person and day with something waiting, and serves the same figures as a query', async () => {
    // Arrange
    const busy = await arrangeRep(subject, 'east');
    const idle = await arrangeRep(subject, 'east');
    const opportunityId = await arrangeOpportunity(subject, busy);
    const day = '2030-06-15';
    for (const dueAt of ['2030-06-14T09:00:00Z', '2030-06-15T09:00:00Z', '2030-06-15T17:00:00Z', '2030-06-16T09:00:00Z']) {
      expectNoErrors(await subject.as(repActor(busy, 'east'))(CREATE, { input: { title: `Due ${dueAt}`, dueAt, opportunityId } }));
    }
    const morning = new Date(`${day}T06:00:00Z`);

    // Act
    await composeDailyDigests(subject.service.dataSource, morning);
    await composeDailyDigests(subject.service.dataSource, new Date(`${day}T07:00:00Z`));
    const digest = expectNoErrors<any>(
      await subject.as(repActor(busy, 'east'))(
        `query { dailyDigest(date: "${day}") { date overdueTaskCount dueTodayCount unreadNotificationCount tasks { title } } }`,
      ),
    ).dailyDigest;

    // Assert
    const written = await subject.service.dataSource.query(
      `SELECT recipient_id, body FROM notification WHERE kind = 'DAILY_DIGEST' AND source_key = $1 AND recipient_id = ANY($2)`,
      [`digest:${day}`, [busy, idle]],
    );
    expect(written).toEqual([{ recipient_id: busy, body: '1 overdue task, 2 due today, 0 unread notifications' }]);
    expect(digest).toMatchObject({ date: day, overdueTaskCount: 1, dueTodayCount: 2 });
    expect(digest.tasks.map((task: any) => task.title)).toEqual(['Due 2030-06-14T09:00:00Z', 'Due 2030-06-15T09:00:00Z', 'Due 2030-06-15T17:00:00Z']);
  });
});
