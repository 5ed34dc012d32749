import { randomUUID } from 'node:crypto';

import { adminActor, analystActor, errorCodes, expectNoErrors, type GraphQLCall, managerActor, repActor, waitFor } from '@pipeline/testing';

import { callAs } from './e2e-env';
import { createLead, createRep, opportunityInNegotiation } from './scenario';

const INBOX = `query { unreadNotificationCount notifications(first: 20) { edges { node { id kind title lead { id name } opportunity { id name } } } } }`;

async function inboxUntil(call: GraphQLCall, kind: string): Promise<any> {
  return waitFor(
    async () => {
      const data = expectNoErrors<any>(await call(INBOX));
      return data.notifications.edges.some((edge: any) => edge.node.kind === kind) ? data : null;
    },
    { timeoutMs: 20_000, what: `a ${kind} notification` },
  );
}

describe('tasks and the inbox, end to end through the gateway', () => {
  it('a rep hears of an assigned lead, plans a task on it, sees it on the lead; the team manager hears of a discount waiting; each reads only their own inbox', async () => {
    // Arrange: a team with a rep and a manager, known to every service through the rep facts
    const admin = await callAs(adminActor());
    const team = `engage-${randomUUID().slice(0, 6)}`;
    const [repId, otherId, managerId] = await Promise.all([
      createRep(admin, { teamId: team }),
      createRep(admin, { teamId: team }),
      createRep(admin, { teamId: team, role: 'MANAGER' }),
    ]);
    const rep = await callAs(repActor(repId, team));
    const manager = await callAs(managerActor(team, managerId));
    const leadId = await createLead(admin, otherId);

    // Act 1: an admin gives the lead to the rep
    expectNoErrors(await admin(`mutation($input: AssignLeadInput!) { assignLead(input: $input) { lead { id } } }`, { input: { leadId, ownerId: repId } }));
    const repInbox = await inboxUntil(rep, 'LEAD_ASSIGNED');

    // Act 2: the rep plans an overdue call and a future meeting on the lead
    const plan = (title: string, dueAt: string) =>
      rep<any>(`mutation($input: CreateTaskInput!) { createTask(input: $input) { task { id status } } }`, { input: { title, dueAt, leadId } });
    const overdueTask = expectNoErrors(await plan('Call back', '2020-01-01T09:00:00Z')).createTask.task;
    expectNoErrors(await plan('Discovery meeting', '2099-01-01T09:00:00Z'));
    const lead = expectNoErrors<any>(
      await rep(`query($id: ID!) { lead(id: $id) { name nextActivityAt overdueTaskCount tasks { title } } }`, { id: leadId }),
    ).lead;
    const overdue = expectNoErrors<any>(await rep(`query { tasks(filter: { overdue: true }) { edges { node { id title lead { name } } } } }`)).tasks.edges;
    const analystWrite = await (
      await callAs(analystActor())
    )(`mutation($input: CompleteTaskInput!) { completeTask(input: $input) { task { id } } }`, { input: { taskId: overdueTask.id } });

    // Act 3: the rep asks for a deep discount; the manager's inbox hears of it
    const opportunityId = await opportunityInNegotiation(admin, repId);
    expectNoErrors(
      await rep(`mutation($input: SetDealTermsInput!) { setDealTerms(input: $input) { deal { id } } }`, {
        input: { opportunityId, discountPercent: 25, paymentTermsDays: 30, contractLengthMonths: 24 },
      }),
    );
    const managerInbox = await inboxUntil(manager, 'DISCOUNT_APPROVAL_REQUESTED');
    const read = expectNoErrors<any>(await rep(`mutation { markNotificationsRead(input: {}) { markedCount unreadCount } }`)).markNotificationsRead;

    // Assert
    expect(repInbox.notifications.edges.find((edge: any) => edge.node.kind === 'LEAD_ASSIGNED').node.lead).toEqual({ id: leadId, name: 'Grace Buyer' });
    expect(overdueTask.status).toBe('OPEN');
    expect(lead).toEqual({
      name: 'Grace Buyer',
      nextActivityAt: '2020-01-01T09:00:00.000Z',
      overdueTaskCount: 1,
      tasks: [{ title: 'Call back' }, { title: 'Discovery meeting' }],
    });
    expect(overdue).toEqual([{ node: { id: overdueTask.id, title: 'Call back', lead: { name: 'Grace Buyer' } } }]);
    expect(errorCodes(analystWrite)).toEqual(['FORBIDDEN']);
    const request = managerInbox.notifications.edges.find((edge: any) => edge.node.kind === 'DISCOUNT_APPROVAL_REQUESTED').node;
    expect(request.opportunity.id).toBe(opportunityId);
    expect(request.opportunity.name).toEqual(expect.any(String));
    expect(managerInbox.notifications.edges.map((edge: any) => edge.node.kind)).not.toContain('LEAD_ASSIGNED');
    expect(read.markedCount).toBeGreaterThanOrEqual(repInbox.unreadNotificationCount);
    expect(read.unreadCount).toBe(0);
    expect(expectNoErrors<any>(await manager(INBOX)).unreadNotificationCount).toBeGreaterThanOrEqual(1);
  });
});
