import { isStalled } from './opportunity';

const now = new Date('2026-11-26T12:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
const open = { status: 'OPEN' as const, closedAt: null, deferredUntil: null, lastActivityAt: null };

describe('stalled opportunities', () => {
  it('is stalled when longer in the stage than its threshold and nobody worked it for as long', () => {
    expect(isStalled({ ...open, stageEnteredAt: daysAgo(20) }, { stalledAfterDays: 14 }, now)).toBe(true);
    expect(isStalled({ ...open, stageEnteredAt: daysAgo(10) }, { stalledAfterDays: 14 }, now)).toBe(false);
  });

  it('is not stalled while it is being worked, deferred, closed, or in a stage without a threshold', () => {
    expect(isStalled({ ...open, stageEnteredAt: daysAgo(20), lastActivityAt: daysAgo(2) }, { stalledAfterDays: 14 }, now)).toBe(false);
    expect(isStalled({ ...open, stageEnteredAt: daysAgo(20), deferredUntil: '2027-01-15' }, { stalledAfterDays: 14 }, now)).toBe(false);
    expect(isStalled({ ...open, status: 'WON', stageEnteredAt: daysAgo(20) }, { stalledAfterDays: 14 }, now)).toBe(false);
    expect(isStalled({ ...open, stageEnteredAt: daysAgo(200) }, { stalledAfterDays: null }, now)).toBe(false);
  });
});
