import { randomUUID } from 'node:crypto';

import { adminActor, expectNoErrors, repActor, type TestService, waitFor } from '@pipeline/testing';

import { publishAll, startAnalytics } from '../../test-support';
import { dealLost, objectionRecorded, opportunityEvents, repRegistered } from '../../test-support-events';

const OUTCOMES = `{ objectionOutcomes { category opportunities winRate { successes sample } lostReasons { reason count } } }`;

// Price raised on four deals (one twice): one won, two lost on price, one lost to a competitor; timing on one open deal.
describe('objections linked to outcomes and lost reasons', () => {
  const [repA, repB] = [randomUUID(), randomUUID()];
  const [won, lostPrice1, lostPrice2, lostCompetitor, open] = Array.from({ length: 5 }, () => randomUUID());
  let subject: TestService;
  const base = { amount: '10.00', currency: 'EUR', createdAt: '2026-09-01T00:00:00Z' };
  const lost = (id: string, ownerId: string) => opportunityEvents({ ...base, id, ownerId, moves: [{ toStage: 'CLOSED_LOST', at: '2026-10-01T00:00:00Z' }] });

  beforeAll(async () => {
    subject = await startAnalytics('objections');
    const events = [
      repRegistered(repA, 'north', 0),
      repRegistered(repB, 'south', 1),
      ...opportunityEvents({ ...base, id: won, ownerId: repA, wonAt: '2026-10-01T00:00:00Z' }),
      ...lost(lostPrice1, repA),
      ...lost(lostPrice2, repB),
      ...lost(lostCompetitor, repB),
      ...opportunityEvents({ ...base, id: open, ownerId: repA }),
      objectionRecorded(won, 'PRICE', '2026-09-10T00:00:00Z'),
      objectionRecorded(lostPrice1, 'PRICE', '2026-09-10T00:00:00Z'),
      objectionRecorded(lostPrice1, 'PRICE', '2026-09-12T00:00:00Z'),
      objectionRecorded(lostPrice2, 'PRICE', '2026-09-10T00:00:00Z'),
      objectionRecorded(lostCompetitor, 'PRICE', '2026-09-10T00:00:00Z'),
      objectionRecorded(open, 'TIMING', '2026-09-10T00:00:00Z'),
      dealLost(lostPrice1, 'PRICE', '2026-10-01T00:00:00Z'),
      dealLost(lostPrice2, 'PRICE', '2026-10-01T00:00:00Z'),
      dealLost(lostCompetitor, 'COMPETITOR', '2026-10-01T00:00:00Z'),
    ];
    await publishAll(subject.topicPrefix, events);
    await waitFor(
      async () => {
        const [row] = await subject.service.dataSource.query(
          `SELECT (SELECT count(*) FROM objection_fact)::int AS objections, (SELECT count(*) FROM deal_fact)::int AS deals, (SELECT count(*) FROM opportunity_fact)::int AS opportunities, (SELECT count(*) FROM rep_fact)::int AS reps`,
        );
        return row.objections === 6 && row.deals === 3 && row.opportunities === 5 && row.reps === 2;
      },
      { timeoutMs: 60_000, what: 'analytics to ingest the objections and closes' },
    );
  });
  afterAll(async () => subject?.stop());

  it('counts each opportunity once per category, with its win rate and the lost reasons behind it', async () => {
    // Act
    const outcomes = expectNoErrors(await subject.as(adminActor())<any>(OUTCOMES)).objectionOutcomes;

    // Assert
    expect(outcomes).toEqual([
      {
        category: 'PRICE',
        opportunities: 4,
        winRate: { successes: 1, sample: 4 },
        lostReasons: [
          { reason: 'PRICE', count: 2 },
          { reason: 'COMPETITOR', count: 1 },
        ],
      },
      { category: 'TIMING', opportunities: 1, winRate: { successes: 0, sample: 0 }, lostReasons: [] },
    ]);
  });

  it('shows a rep the objections on their own deals only', async () => {
    const outcomes = expectNoErrors(await subject.as(repActor(repB, 'south'))<any>(OUTCOMES)).objectionOutcomes;
    expect(outcomes).toEqual([
      {
        category: 'PRICE',
        opportunities: 2,
        winRate: { successes: 0, sample: 2 },
        lostReasons: [
          { reason: 'COMPETITOR', count: 1 },
          { reason: 'PRICE', count: 1 },
        ],
      },
    ]);
  });
});
