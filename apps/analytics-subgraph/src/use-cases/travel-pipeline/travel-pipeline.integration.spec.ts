import { randomUUID } from 'node:crypto';

import { adminActor, expectNoErrors, managerActor, type TestService, waitFor } from '@pipeline/testing';

import { publishAll, startAnalytics } from '../../test-support';
import { opportunityEvents, opportunityUpdated, repRegistered } from '../../test-support-events';

const AS_OF = `query($at: DateTime!) { pipelineAsOf(at: $at) { openCount openAmount { amount currency } byStage { stage count amount { amount currency } } } }`;
const WATERFALL = `query($from: DateTime!, $to: DateTime!) {
  pipelineWaterfall(from: $from, to: $to) { startOpen { amount currency } steps { kind count amount { amount currency } } endOpen { amount currency } }
}`;

// A hand-made history whose pipeline on 2026-10-01 and changes to 2026-12-01 are worked out below.
describe('time travel over the event history', () => {
  const [repA, repC] = [randomUUID(), randomUUID()];
  const [p1, p2, p3, p4] = Array.from({ length: 4 }, () => randomUUID());
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startAnalytics('time_travel');
    const events = [
      repRegistered(repA, 'north', 0),
      repRegistered(repC, 'south', 1),
      // p1: 100 in QUALIFICATION, raised to 150 on 15 Oct, advanced to PROPOSAL on 10 Nov
      ...opportunityEvents({
        id: p1,
        ownerId: repA,
        amount: '100.00',
        currency: 'EUR',
        createdAt: '2026-09-01T00:00:00Z',
        moves: [{ toStage: 'PROPOSAL', at: '2026-11-10T00:00:00Z', version: 3, amount: '150.00' }],
      }),
      opportunityUpdated(p1, repA, 2, 'QUALIFICATION', { amount: '150.00', currency: 'EUR' }, '2026-10-15T00:00:00Z', '2026-09-01T00:00:00Z'),
      // p2: 200, won on 20 Oct
      ...opportunityEvents({ id: p2, ownerId: repA, amount: '200.00', currency: 'EUR', createdAt: '2026-09-05T00:00:00Z', wonAt: '2026-10-20T00:00:00Z' }),
      // p3 (south): 300, created on 10 Oct
      ...opportunityEvents({ id: p3, ownerId: repC, amount: '300.00', currency: 'EUR', createdAt: '2026-10-10T00:00:00Z' }),
      // p4 (south): 400, in PROPOSAL from 11 Sep, back to QUALIFICATION on 5 Oct
      ...opportunityEvents({
        id: p4,
        ownerId: repC,
        amount: '400.00',
        currency: 'EUR',
        createdAt: '2026-09-10T00:00:00Z',
        moves: [
          { toStage: 'PROPOSAL', at: '2026-09-11T00:00:00Z' },
          { toStage: 'QUALIFICATION', at: '2026-10-05T00:00:00Z', reason: 'Budget moved' },
        ],
      }),
    ];
    await publishAll(subject.topicPrefix, events);
    await waitFor(
      async () => {
        const [row] = await subject.service.dataSource.query(
          `SELECT (SELECT count(*) FROM stage_event)::int AS moves, (SELECT count(*) FROM opportunity_revision)::int AS revisions, (SELECT count(*) FROM rep_fact)::int AS reps`,
        );
        return row.moves === 8 && row.revisions === 1 && row.reps === 2;
      },
      { timeoutMs: 60_000, what: 'analytics to ingest the history' },
    );
  });
  afterAll(async () => subject?.stop());

  it('rebuilds the open pipeline as it stood on a past date', async () => {
    // Act
    const past = expectNoErrors(await subject.as(admin)<any>(AS_OF, { at: '2026-10-01T00:00:00Z' })).pipelineAsOf;
    const later = expectNoErrors(await subject.as(admin)<any>(AS_OF, { at: '2026-10-16T00:00:00Z' })).pipelineAsOf;

    // Assert: p1 (100) and p2 (200) in QUALIFICATION, p4 (400) in PROPOSAL; on 16 Oct p1 is 150, p4 back, p3 new
    expect(past).toEqual({
      openCount: 3,
      openAmount: [{ amount: '700.00', currency: 'EUR' }],
      byStage: [
        { stage: 'QUALIFICATION', count: 2, amount: [{ amount: '300.00', currency: 'EUR' }] },
        { stage: 'PROPOSAL', count: 1, amount: [{ amount: '400.00', currency: 'EUR' }] },
      ],
    });
    expect(later).toEqual({
      openCount: 4,
      openAmount: [{ amount: '1050.00', currency: 'EUR' }],
      byStage: [{ stage: 'QUALIFICATION', count: 4, amount: [{ amount: '1050.00', currency: 'EUR' }] }],
    });
  });

  it('explains the change between two dates step by step, and the steps reconcile', async () => {
    // Act
    const waterfall = expectNoErrors(await subject.as(admin)<any>(WATERFALL, { from: '2026-10-01T00:00:00Z', to: '2026-12-01T00:00:00Z' })).pipelineWaterfall;

    // Assert
    const eur = (amount: string) => [{ amount, currency: 'EUR' }];
    expect(waterfall.startOpen).toEqual(eur('700.00'));
    expect(waterfall.steps).toEqual([
      { kind: 'NEW', count: 1, amount: eur('300.00') },
      { kind: 'ADVANCED', count: 1, amount: eur('150.00') },
      { kind: 'SLIPPED', count: 1, amount: eur('400.00') },
      { kind: 'AMOUNT_UP', count: 1, amount: eur('50.00') },
      { kind: 'AMOUNT_DOWN', count: 0, amount: [] },
      { kind: 'WON', count: 1, amount: eur('200.00') },
      { kind: 'LOST', count: 0, amount: [] },
      { kind: 'REOPENED', count: 0, amount: [] },
    ]);
    expect(waterfall.endOpen).toEqual(eur('850.00'));
  });

  it('applies visibility, and refuses dates in the future or out of order', async () => {
    // Act
    const north = expectNoErrors(await subject.as(managerActor('north'))<any>(AS_OF, { at: '2026-10-01T00:00:00Z' })).pipelineAsOf;
    const future = await subject.as(admin)<any>(AS_OF, { at: '2027-06-01T00:00:00Z' });
    const backwards = await subject.as(admin)<any>(WATERFALL, { from: '2026-12-01T00:00:00Z', to: '2026-10-01T00:00:00Z' });

    // Assert
    expect(north).toMatchObject({ openCount: 2, openAmount: [{ amount: '300.00', currency: 'EUR' }] });
    expect(future.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'at' });
    expect(backwards.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
  });
});
