import { randomUUID } from 'node:crypto';

import { createCloudEvent, TOPICS } from '@pipeline/events';
import {
  errorCodes,
  expectNoErrors,
  managerActor,
  type PersonalDataOwner,
  publishEvents,
  repActor,
  startPersonalDataOwner,
  type TestService,
  waitFor,
} from '@pipeline/testing';

import { arrangeOpportunity, arrangeRep, leadAssignedData, publish, startEngagementService } from '../../test-support';

const INBOX = `query($unreadOnly: Boolean, $first: Int, $after: String) {
  unreadNotificationCount
  notifications(unreadOnly: $unreadOnly, first: $first, after: $after) { totalCount edges { node { id kind title body readAt lead { id } opportunity { id } } } pageInfo { hasNextPage endCursor } }
}`;
const MARK = `mutation($input: MarkNotificationsReadInput!) { markNotificationsRead(input: $input) { markedCount unreadCount } }`;

describe('the inbox, from the fact topics', () => {
  let subject: TestService;
  let rep: string;
  let other: string;
  let manager: string;
  let otherManager: string;
  let owner: PersonalDataOwner;

  beforeAll(async () => {
    owner = await startPersonalDataOwner('inbox', ['engagement-subgraph']);
    subject = await startEngagementService('inbox', { personalData: owner.opener('engagement-subgraph') });
    [rep, other, manager, otherManager] = await Promise.all([
      arrangeRep(subject, 'north'),
      arrangeRep(subject, 'north'),
      arrangeRep(subject, 'north', 'MANAGER'),
      arrangeRep(subject, 'south', 'MANAGER'),
    ]);
  });
  afterAll(async () => {
    await subject?.stop();
    await owner?.stop();
  });

  const kindsOf = async (userId: string, teamId: string, role: 'REP' | 'MANAGER' = 'REP') => {
    const actor = role === 'REP' ? repActor(userId, teamId) : managerActor(teamId, userId);
    return expectNoErrors<any>(await subject.as(actor)(INBOX, {})).notifications.edges.map((edge: any) => edge.node.kind) as string[];
  };
  const count = async (userId: string) =>
    (await subject.service.dataSource.query('SELECT count(*)::int AS count FROM notification WHERE recipient_id = $1', [userId]))[0].count as number;

  it('tells a rep of a lead assigned to them once, even when the fact is delivered twice', async () => {
    // Arrange
    const leadId = randomUUID();
    const event = createCloudEvent({
      type: 'sales.lead.assigned.v1',
      source: '/test',
      subject: leadId,
      data: leadAssignedData(leadId, rep, { assignedBy: manager }),
    });

    // Act
    await publishEvents(subject.topicPrefix, [
      { topic: TOPICS.leadEvents, event },
      { topic: TOPICS.leadEvents, event },
    ]);

    // Assert
    const inbox = await waitFor(
      async () => {
        const data = expectNoErrors<any>(await subject.as(repActor(rep, 'north'))(INBOX, {}));
        return data.notifications.edges.find((edge: any) => edge.node.lead?.id === leadId) ? data : null;
      },
      { what: 'the assignment notification' },
    );
    expect(inbox.notifications.edges.filter((edge: any) => edge.node.lead?.id === leadId).map((edge: any) => edge.node)).toEqual([
      expect.objectContaining({ kind: 'LEAD_ASSIGNED', title: 'New lead assigned to you: Ada Lovelace (Analytical Engines)', readAt: null }),
    ]);
    expect(await subject.service.dataSource.query('SELECT count(*)::int AS count FROM processed_event WHERE event_id = $1', [event.id])).toEqual([
      { count: 1 },
    ]);
  });

  it('names the person of a sealed lead, opened through the lead service, and only the company once the person was erased', async () => {
    // Arrange: lead events as the lead service publishes them since people are sealed (plain name blanked)
    const [named, erased] = [randomUUID(), randomUUID()];
    const tag = randomUUID().slice(0, 8);
    const sealed = async (leadId: string) => {
      const data = leadAssignedData(leadId, rep, { assignedBy: manager });
      const personal = await owner.seal(leadId, { name: `Grace Hopper ${tag}`, email: null, phone: null, sourceDetail: null });
      return createCloudEvent({
        type: 'sales.lead.assigned.v1',
        source: '/test',
        subject: leadId,
        data: { ...data, lead: { ...data.lead, name: '', email: null, personal } },
      });
    };
    const events = [await sealed(named), await sealed(erased)];
    await owner.erase(erased);

    // Act
    await publishEvents(
      subject.topicPrefix,
      events.map((event) => ({ topic: TOPICS.leadEvents, event })),
    );

    // Assert
    const titles = await waitFor(
      async () => {
        const rows: Array<{ lead_id: string; title: string }> = await subject.service.dataSource.query(
          'SELECT lead_id, title FROM notification WHERE lead_id = ANY($1::uuid[]) ORDER BY title',
          [[named, erased]],
        );
        return rows.length === 2 ? Object.fromEntries(rows.map((row) => [row.lead_id, row.title])) : null;
      },
      { what: 'both assignment notifications' },
    );
    expect(titles).toEqual({
      [named]: `New lead assigned to you: Grace Hopper ${tag} (Analytical Engines)`,
      [erased]: 'New lead assigned to you: Analytical Engines',
    });
  });

  it('after an SLA re-assignment tells the new owner and the previous one; nobody else sees either', async () => {
    // Arrange
    const leadId = randomUUID();
    const before = await count(manager);

    // Act
    await publish(subject, [
      {
        topic: TOPICS.leadEvents,
        type: 'sales.lead.assigned.v1',
        subject: leadId,
        data: leadAssignedData(leadId, other, {
          previousOwnerId: rep,
          assignedBy: null,
          reason: 'SLA: no activity for 50h (limit 48h) with the previous owner.',
        }),
      },
    ]);

    // Assert
    await waitFor(async () => (await kindsOf(other, 'north')).includes('LEAD_REASSIGNED_BY_SLA'), { what: 'the new owner’s notification' });
    await waitFor(async () => (await kindsOf(rep, 'north')).includes('LEAD_TAKEN_BY_SLA'), { what: 'the previous owner’s notification' });
    expect(await count(manager)).toBe(before);
  });

  it('tells the managers of the owner’s team of a discount waiting, and the owner of the decision', async () => {
    // Arrange
    const opportunityId = await arrangeOpportunity(subject, rep);
    const dealId = randomUUID();
    const base = { opportunityId, dealId, occurredAt: new Date().toISOString() };

    // Act
    await publish(subject, [
      {
        topic: TOPICS.dealEvents,
        type: 'sales.deal.terms_set.v1',
        subject: opportunityId,
        data: { ...base, actorId: rep, discountPercent: 25, paymentTermsDays: 30, contractLengthMonths: 24, approvalStatus: 'PENDING', effective: false },
      },
      {
        topic: TOPICS.dealEvents,
        type: 'sales.deal.discount_decided.v1',
        subject: opportunityId,
        data: { ...base, actorId: manager, approvalId: randomUUID(), requestedPercent: 25, approved: true, note: 'Strategic logo' },
      },
    ]);

    // Assert
    await waitFor(async () => (await kindsOf(manager, 'north', 'MANAGER')).includes('DISCOUNT_APPROVAL_REQUESTED'), { what: 'the approval request' });
    await waitFor(async () => (await kindsOf(rep, 'north')).includes('DISCOUNT_APPROVAL_DECIDED'), { what: 'the decision' });
    expect(await kindsOf(otherManager, 'south', 'MANAGER')).toEqual([]);
    expect(await kindsOf(other, 'north')).not.toContain('DISCOUNT_APPROVAL_REQUESTED');
  });

  it('counts unread, pages newest first, and marks only the caller’s own notifications read', async () => {
    // Arrange
    const me = repActor(rep, 'north');
    const start = expectNoErrors<any>(await subject.as(me)(INBOX, {}));
    const mine = start.notifications.edges.map((edge: any) => edge.node.id);
    const theirs = expectNoErrors<any>(await subject.as(repActor(other, 'north'))(INBOX, {})).notifications.edges.map((edge: any) => edge.node.id);

    // Act
    const marked = expectNoErrors<any>(await subject.as(me)(MARK, { input: { ids: [mine[0], ...theirs] } })).markNotificationsRead;
    const page = expectNoErrors<any>(await subject.as(me)(INBOX, { unreadOnly: true, first: 1 }));
    const rest = expectNoErrors<any>(await subject.as(me)(INBOX, { unreadOnly: true, first: 1, after: page.notifications.pageInfo.endCursor }));

    // Assert
    expect(start.unreadNotificationCount).toBe(mine.length);
    expect(marked).toEqual({ markedCount: 1, unreadCount: mine.length - 1 });
    expect(expectNoErrors<any>(await subject.as(repActor(other, 'north'))(INBOX, {})).unreadNotificationCount).toBe(theirs.length);
    expect(page.notifications.edges.map((edge: any) => edge.node.id)).toEqual([mine[1]]);
    expect(rest.notifications.edges.map((edge: any) => edge.node.id)).toEqual(mine.slice(2, 3));
    expect(errorCodes(await subject.as(me)(MARK, { input: { ids: ['nope'] } }))).toEqual(['BAD_USER_INPUT']);
  });
});
