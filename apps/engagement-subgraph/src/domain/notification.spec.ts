import { randomUUID } from 'node:crypto';

import { approversFor, digestFor, dueStateOf, isStalled, type LeadAssignment, notificationsForLeadAssignment } from './notification';

const assignment = (overrides: Partial<LeadAssignment> = {}): LeadAssignment => ({
  eventId: randomUUID(),
  leadId: randomUUID(),
  leadName: 'Ada',
  company: 'Initech',
  ownerId: 'rep-b',
  previousOwnerId: null,
  assignedBy: 'manager-1',
  reason: 'Assigned by hand',
  ...overrides,
});

describe('lead assignment notifications', () => {
  it('tells the new owner when someone else gave them the lead', () => {
    expect(notificationsForLeadAssignment(assignment()).map((draft) => [draft.recipientId, draft.kind])).toEqual([['rep-b', 'LEAD_ASSIGNED']]);
  });

  it('tells nobody when the owner took the lead themselves, or when it was unassigned', () => {
    expect(notificationsForLeadAssignment(assignment({ assignedBy: 'rep-b' }))).toEqual([]);
    expect(notificationsForLeadAssignment(assignment({ ownerId: null }))).toEqual([]);
  });

  it('after an SLA sweep tells the new owner and the previous one, with the reason', () => {
    const drafts = notificationsForLeadAssignment(assignment({ previousOwnerId: 'rep-a', assignedBy: null, reason: 'SLA: no activity for 50h (limit 48h)' }));
    expect(drafts.map((draft) => [draft.recipientId, draft.kind])).toEqual([
      ['rep-b', 'LEAD_REASSIGNED_BY_SLA'],
      ['rep-a', 'LEAD_TAKEN_BY_SLA'],
    ]);
    expect(drafts.every((draft) => draft.body.startsWith('SLA:'))).toBe(true);
  });

  it("names the lead by its company when the event carries the person's name only encrypted (an empty name)", () => {
    expect(notificationsForLeadAssignment(assignment({ leadName: '' })).map((draft) => draft.title)).toEqual(['New lead assigned to you: Initech']);
    expect(notificationsForLeadAssignment(assignment()).map((draft) => draft.title)).toEqual(['New lead assigned to you: Ada (Initech)']);
  });
});

describe('discount approvers', () => {
  const members = [
    { id: 'm1', role: 'MANAGER', teamId: 'north', active: true },
    { id: 'm2', role: 'MANAGER', teamId: 'south', active: true },
    { id: 'm3', role: 'MANAGER', teamId: 'north', active: false },
    { id: 'r1', role: 'REP', teamId: 'north', active: true },
  ];

  it('are the active managers of the owner’s team, never the requester', () => {
    expect(approversFor('north', 'r1', members)).toEqual(['m1']);
    expect(approversFor('north', 'm1', members)).toEqual([]);
    expect(approversFor(null, 'r1', members)).toEqual([]);
  });
});

describe('stalled and due', () => {
  const now = new Date('2026-12-01T00:00:00Z');

  it('calls an open opportunity stalled only past the threshold', () => {
    expect(isStalled({ status: 'OPEN', stageEnteredAt: new Date('2026-11-10T00:00:00Z') }, 14, now)).toBe(true);
    expect(isStalled({ status: 'OPEN', stageEnteredAt: new Date('2026-11-20T00:00:00Z') }, 14, now)).toBe(false);
    expect(isStalled({ status: 'WON', stageEnteredAt: new Date('2026-01-01T00:00:00Z') }, 14, now)).toBe(false);
  });

  it('tells due within the lead window and overdue after the due time', () => {
    expect(dueStateOf(new Date('2026-12-01T00:30:00Z'), now, 3_600_000)).toBe('DUE');
    expect(dueStateOf(new Date('2026-12-01T02:00:00Z'), now, 3_600_000)).toBe('NOT_YET');
    expect(dueStateOf(new Date('2026-11-30T23:59:00Z'), now, 3_600_000)).toBe('OVERDUE');
  });
});

describe('the daily digest', () => {
  it('sums up what waits, once per day, and is skipped when nothing does', () => {
    expect(digestFor({ recipientId: 'r', date: '2026-12-01', overdue: 1, dueToday: 2, unread: 0 })).toMatchObject({
      kind: 'DAILY_DIGEST',
      body: '1 overdue task, 2 due today, 0 unread notifications',
      sourceKey: 'digest:2026-12-01',
    });
    expect(digestFor({ recipientId: 'r', date: '2026-12-01', overdue: 0, dueToday: 0, unread: 0 })).toBeNull();
  });
});
