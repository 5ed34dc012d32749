import { randomUUID } from 'node:crypto';

import { adminActor, expectNoErrors, managerActor, repActor, type TestService, waitFor } from '@pipeline/testing';

import { publishAll, startAnalytics } from '../../test-support';
import { opportunityEvents, repRegistered, stageMoveRefused } from '../../test-support-events';

const FRICTION = `query($filter: MetricsFilter) {
  gateFriction(filter: $filter) {
    criteria { criterion refusals opportunities stillBlocked medianDaysBlocked }
    blockedWinRate { successes sample rate low high }
    unblockedWinRate { successes sample rate low high }
  }
}`;

// A hand-made history whose answer is worked out below: refusals, the moves that got past them, and closes.
describe('gateFriction from refusal facts', () => {
  const [repA, repC] = [randomUUID(), randomUUID()];
  const [one, two, three] = [randomUUID(), randomUUID(), randomUUID()];
  let subject: TestService;
  const admin = adminActor();
  const base = { amount: '1000.00', currency: 'EUR', createdAt: '2026-10-01T00:00:00Z' };

  beforeAll(async () => {
    subject = await startAnalytics('gate_friction');
    const events = [
      repRegistered(repA, 'north', 0),
      repRegistered(repC, 'south', 1),
      // one: refused twice (amount and date, then date), moved on four days after the first refusal, then won
      ...opportunityEvents({
        ...base,
        id: one,
        ownerId: repA,
        moves: [
          { toStage: 'PROPOSAL', at: '2026-10-06T00:00:00Z' },
          { toStage: 'CLOSED_WON', at: '2026-11-01T00:00:00Z' },
        ],
      }),
      stageMoveRefused(one, repA, 'QUALIFICATION', 'PROPOSAL', ['AMOUNT_SET', 'CLOSE_DATE_SET'], '2026-10-02T00:00:00Z', 1),
      stageMoveRefused(one, repA, 'QUALIFICATION', 'PROPOSAL', ['CLOSE_DATE_SET'], '2026-10-04T00:00:00Z', 1),
      // two: refused on amount, lost ten days later
      ...opportunityEvents({ ...base, id: two, ownerId: repA, moves: [{ toStage: 'CLOSED_LOST', at: '2026-10-13T00:00:00Z', reason: 'PRICE' }] }),
      stageMoveRefused(two, repA, 'QUALIFICATION', 'PROPOSAL', ['AMOUNT_SET'], '2026-10-03T00:00:00Z', 1),
      // three (south): refused on amount, still where it was
      ...opportunityEvents({ ...base, id: three, ownerId: repC }),
      stageMoveRefused(three, repC, 'QUALIFICATION', 'PROPOSAL', ['AMOUNT_SET'], '2026-10-05T00:00:00Z', 1),
      // never refused (south): two won, one lost
      ...opportunityEvents({ ...base, ownerId: repC, wonAt: '2026-11-02T00:00:00Z' }),
      ...opportunityEvents({ ...base, ownerId: repC, wonAt: '2026-11-03T00:00:00Z' }),
      ...opportunityEvents({ ...base, ownerId: repC, moves: [{ toStage: 'CLOSED_LOST', at: '2026-11-04T00:00:00Z', reason: 'PRICE' }] }),
    ];
    await publishAll(subject.topicPrefix, events);
    await waitFor(
      async () => {
        const [row] = await subject.service.dataSource.query(
          `SELECT (SELECT count(*) FROM gate_refusal)::int AS refusals, (SELECT count(*) FROM opportunity_fact)::int AS opportunities, (SELECT count(*) FROM rep_fact)::int AS reps,
                  (SELECT count(*) FROM stage_event)::int AS moves`,
        );
        return row.refusals === 4 && row.opportunities === 6 && row.reps === 2 && row.moves === 12;
      },
      { timeoutMs: 60_000, what: 'analytics to ingest the refusals and moves' },
    );
  });
  afterAll(async () => subject?.stop());

  it('ranks criteria by refusals, with how long they blocked and how many are still blocked', async () => {
    // Act
    const friction = expectNoErrors(await subject.as(admin)<any>(FRICTION, {})).gateFriction;

    // Assert: amount blocked one for 4 days and two for 10 (median 7), three still; the date blocked one for 4 days
    expect(friction.criteria).toEqual([
      { criterion: 'AMOUNT_SET', refusals: 3, opportunities: 3, stillBlocked: 1, medianDaysBlocked: 7 },
      { criterion: 'CLOSE_DATE_SET', refusals: 2, opportunities: 1, stillBlocked: 0, medianDaysBlocked: 4 },
    ]);
    expect(friction.blockedWinRate).toMatchObject({ successes: 1, sample: 2, rate: 0.5 });
    expect(friction.unblockedWinRate).toMatchObject({ successes: 2, sample: 3 });
    expect(friction.unblockedWinRate.low).toBeGreaterThan(0);
    expect(friction.unblockedWinRate.high).toBeLessThan(1);
  });

  it('counts refusals in the period asked for', async () => {
    const friction = expectNoErrors(
      await subject.as(admin)<any>(FRICTION, { filter: { from: '2026-10-03T00:00:00Z', to: '2026-10-05T00:00:00Z' } }),
    ).gateFriction;
    expect(friction.criteria).toEqual([
      // two's refusal on the 3rd and one's second on the 4th
      { criterion: 'AMOUNT_SET', refusals: 1, opportunities: 1, stillBlocked: 0, medianDaysBlocked: 10 },
      { criterion: 'CLOSE_DATE_SET', refusals: 1, opportunities: 1, stillBlocked: 0, medianDaysBlocked: 2 },
    ]);
  });

  it('shows a rep their own friction and a manager their team’s', async () => {
    // Act
    const asRep = expectNoErrors(await subject.as(repActor(repC, 'south'))<any>(FRICTION, {})).gateFriction;
    const asNorth = expectNoErrors(await subject.as(managerActor('north'))<any>(FRICTION, {})).gateFriction;

    // Assert
    expect(asRep.criteria).toEqual([{ criterion: 'AMOUNT_SET', refusals: 1, opportunities: 1, stillBlocked: 1, medianDaysBlocked: null }]);
    expect(asRep.blockedWinRate).toEqual({ successes: 0, sample: 0, rate: null, low: null, high: null });
    expect(asRep.unblockedWinRate).toMatchObject({ successes: 2, sample: 3 });
    expect(asNorth.criteria.map((row: any) => [row.criterion, row.refusals])).toEqual([
      ['AMOUNT_SET', 2],
      ['CLOSE_DATE_SET', 2],
    ]);
    expect(asNorth.unblockedWinRate.sample).toBe(0);
  });
});
