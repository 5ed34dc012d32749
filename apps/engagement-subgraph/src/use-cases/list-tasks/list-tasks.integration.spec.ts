import { analystActor, expectNoErrors, managerActor, repActor, type TestService } from '@pipeline/testing';

import { arrangeOpportunity, arrangeRep, startEngagementService } from '../../test-support';

const CREATE = `mutation($input: CreateTaskInput!) { createTask(input: $input) { task { id } } }`;
const COMPLETE = `mutation($input: CompleteTaskInput!) { completeTask(input: $input) { task { id } } }`;
const TASKS = `query($filter: TaskFilter, $first: Int, $after: String) { tasks(filter: $filter, first: $first, after: $after) { totalCount edges { node { id title overdue } } pageInfo { hasNextPage endCursor } } }`;
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Opportunity { id nextActivityAt overdueTaskCount tasks { title } } } }`;

describe('listing tasks, overdue work and next activities', () => {
  let subject: TestService;
  let alice: string;
  let bob: string;
  let aliceDeal: string;
  let bobDeal: string;
  let quietDeal: string;

  beforeAll(async () => {
    subject = await startEngagementService('list_tasks');
    [alice, bob] = await Promise.all([arrangeRep(subject, 'north'), arrangeRep(subject, 'south')]);
    [aliceDeal, bobDeal, quietDeal] = await Promise.all([
      arrangeOpportunity(subject, alice),
      arrangeOpportunity(subject, bob),
      arrangeOpportunity(subject, alice),
    ]);
    const plan = async (owner: string, team: string, opportunityId: string, title: string, dueAt: string) =>
      expectNoErrors(await subject.as(repActor(owner, team))<any>(CREATE, { input: { title, dueAt, opportunityId } })).createTask.task.id as string;
    await plan(alice, 'north', aliceDeal, 'A overdue', '2020-01-01T09:00:00Z');
    await plan(alice, 'north', aliceDeal, 'A next', '2099-01-02T09:00:00Z');
    await plan(alice, 'north', aliceDeal, 'A later', '2099-03-01T09:00:00Z');
    const done = await plan(alice, 'north', aliceDeal, 'A done', '2019-01-01T09:00:00Z');
    expectNoErrors(await subject.as(repActor(alice, 'north'))(COMPLETE, { input: { taskId: done } }));
    await plan(bob, 'south', bobDeal, 'B overdue', '2021-01-01T09:00:00Z');
  });
  afterAll(async () => subject?.stop());

  const titles = (response: any): string[] => expectNoErrors<any>(response).tasks.edges.map((edge: any) => edge.node.title);

  it('shows a rep only their own tasks and a manager only the team’s, by due time', async () => {
    expect(titles(await subject.as(repActor(alice, 'north'))(TASKS, {}))).toEqual(['A done', 'A overdue', 'A next', 'A later']);
    expect(titles(await subject.as(managerActor('south'))(TASKS, {}))).toEqual(['B overdue']);
  });

  it('filters overdue work (open and past due) across what the caller sees', async () => {
    expect(titles(await subject.as(analystActor())(TASKS, { filter: { overdue: true } }))).toEqual(['A overdue', 'B overdue']);
    expect(titles(await subject.as(repActor(alice, 'north'))(TASKS, { filter: { overdue: true } }))).toEqual(['A overdue']);
  });

  it('pages by keyset with an exact total', async () => {
    const first = expectNoErrors<any>(await subject.as(analystActor())(TASKS, { first: 2 })).tasks;
    const second = expectNoErrors<any>(await subject.as(analystActor())(TASKS, { first: 2, after: first.pageInfo.endCursor })).tasks;
    expect([first.totalCount, first.pageInfo.hasNextPage, second.pageInfo.hasNextPage]).toEqual([5, true, true]);
    expect([...first.edges, ...second.edges].map((edge: any) => edge.node.title)).toEqual(['A done', 'A overdue', 'B overdue', 'A next']);
  });

  it('gives each opportunity its next activity and overdue count, as the caller may see them, and null where nothing is planned', async () => {
    // Act
    const asAlice = expectNoErrors<any>(
      await subject.as(repActor(alice, 'north'))(ENTITIES, { r: [aliceDeal, bobDeal, quietDeal].map((id) => ({ __typename: 'Opportunity', id })) }),
    )._entities;

    // Assert
    expect(asAlice[0]).toMatchObject({ nextActivityAt: '2020-01-01T09:00:00.000Z', overdueTaskCount: 1 });
    expect(asAlice[0].tasks.map((task: any) => task.title)).toEqual(['A overdue', 'A next', 'A later', 'A done']);
    expect(asAlice[1]).toMatchObject({ nextActivityAt: null, overdueTaskCount: 0, tasks: [] });
    expect(asAlice[2]).toMatchObject({ nextActivityAt: null, overdueTaskCount: 0, tasks: [] });
  });
});
