import { randomUUID } from 'node:crypto';

import { adminActor, expectNoErrors, managerActor, repActor, type TestService, waitFor } from '@pipeline/testing';

import { NOW, publishAll, startAnalytics } from '../../test-support';
import { activityLogged, opportunityEvents, repRegistered } from '../../test-support-events';

// A hand-made history (NOW is 2027-01-01; the default period is the 12 weeks from 2026-10-09) whose answer is below.
describe('usage and engagement analytics from activity facts', () => {
  const [repA, repB, repC] = [randomUUID(), randomUUID(), randomUUID()];
  const [o1, o2, o3, o4, o5, o6] = Array.from({ length: 6 }, () => randomUUID());
  let subject: TestService;
  const admin = adminActor();
  const base = { amount: '1000.00', currency: 'EUR', createdAt: '2026-10-01T00:00:00Z' };

  beforeAll(async () => {
    subject = await startAnalytics('engagement');
    const events = [
      repRegistered(repA, 'north', 0),
      repRegistered(repB, 'north', 1),
      repRegistered(repC, 'south', 2),
      ...opportunityEvents({ ...base, id: o1, ownerId: repA }),
      ...opportunityEvents({ ...base, id: o2, ownerId: repA, createdAt: '2026-11-01T00:00:00Z' }),
      ...opportunityEvents({ ...base, id: o3, ownerId: repC, industry: 'Retail', wonAt: '2026-12-15T00:00:00Z' }),
      ...opportunityEvents({
        ...base,
        id: o4,
        ownerId: repC,
        industry: 'Retail',
        moves: [{ toStage: 'CLOSED_LOST', at: '2026-12-16T00:00:00Z', reason: 'PRICE' }],
      }),
      ...opportunityEvents({ ...base, id: o5, ownerId: repB, wonAt: '2026-11-30T00:00:00Z' }),
      ...opportunityEvents({ ...base, id: o6, ownerId: repB, moves: [{ toStage: 'CLOSED_LOST', at: '2026-11-20T00:00:00Z', reason: 'PRICE' }] }),
      activityLogged(o1, repA, 'CALL', '2026-12-01T00:00:00Z'),
      activityLogged(o1, repA, 'EMAIL', '2026-12-20T00:00:00Z'),
      activityLogged(o3, repC, 'MEETING', '2026-12-01T00:00:00Z'),
      activityLogged(o3, repC, 'CALL', '2026-12-05T00:00:00Z'),
      activityLogged(o3, repC, 'EMAIL', '2026-12-10T00:00:00Z'),
      activityLogged(o4, repC, 'CALL', '2026-12-10T00:00:00Z'),
      // before the default period and outside o6's 30 days before its close
      activityLogged(o6, repB, 'CALL', '2026-09-01T00:00:00Z'),
    ];
    // every activity twice: a redelivery is counted once
    await publishAll(subject.topicPrefix, [...events, ...events.filter(({ event }) => event.type === 'sales.opportunity.activity_logged.v1')]);
    await waitFor(
      async () => {
        const [row] = await subject.service.dataSource.query(
          `SELECT (SELECT count(*) FROM activity_fact)::int AS activities, (SELECT count(*) FROM opportunity_fact WHERE status <> 'OPEN')::int AS closed, (SELECT count(*) FROM opportunity_fact)::int AS opportunities, (SELECT count(*) FROM rep_fact)::int AS reps`,
        );
        // Activities count through their opportunity, so the open ones (o1, o2) must have arrived too.
        return row.activities === 7 && row.closed === 4 && row.opportunities === 6 && row.reps === 3;
      },
      { timeoutMs: 60_000, what: 'analytics to ingest the activities and closes' },
    );
  });
  afterAll(async () => subject?.stop());

  it('counts activities per week per rep, listing visible reps who logged none, and per team', async () => {
    // Act
    const byRep = expectNoErrors(await subject.as(admin)<any>(`{ activityRates(by: REP) { from to rows { key activities perWeek } } }`)).activityRates;
    const byTeam = expectNoErrors(await subject.as(admin)<any>(`{ activityRates(by: TEAM) { rows { key activities perWeek } } }`)).activityRates;
    const asManager = expectNoErrors(await subject.as(managerActor('north'))<any>(`{ activityRates(by: REP) { rows { key activities } } }`)).activityRates;
    const asRep = expectNoErrors(await subject.as(repActor(repA, 'north'))<any>(`{ activityRates(by: REP) { rows { key activities } } }`)).activityRates;

    // Assert
    expect(new Date(byRep.to).toISOString()).toBe(NOW.toISOString());
    expect(byRep.rows).toEqual([
      { key: repC, activities: 4, perWeek: 4 / 12 },
      { key: repA, activities: 2, perWeek: 2 / 12 },
      { key: repB, activities: 0, perWeek: 0 },
    ]);
    expect(byTeam.rows).toEqual([
      { key: 'south', activities: 4, perWeek: 4 / 12 },
      { key: 'north', activities: 2, perWeek: 2 / 12 },
    ]);
    expect(asManager.rows).toEqual([
      { key: repA, activities: 2 },
      { key: repB, activities: 0 },
    ]);
    expect(asRep.rows).toEqual([{ key: repA, activities: 2 }]);
  });

  it('lists open opportunities by days since their last touch, never-touched ones from creation', async () => {
    // Act
    const touches = expectNoErrors(
      await subject.as(admin)<any>(`{ opportunityTouches { opportunityId ownerId stage neverTouched daysSinceLastTouch lastTouchAt } }`),
    ).opportunityTouches;
    const asSouth = expectNoErrors(await subject.as(managerActor('south'))<any>(`{ opportunityTouches { opportunityId } }`)).opportunityTouches;

    // Assert
    expect(touches).toEqual([
      { opportunityId: o2, ownerId: repA, stage: 'QUALIFICATION', neverTouched: true, daysSinceLastTouch: 61, lastTouchAt: null },
      { opportunityId: o1, ownerId: repA, stage: 'QUALIFICATION', neverTouched: false, daysSinceLastTouch: 12, lastTouchAt: expect.any(String) },
    ]);
    expect(asSouth).toEqual([]);
  });

  it('shows which engagement preceded wins per segment, with sample sizes', async () => {
    // Act
    const patterns = expectNoErrors(
      await subject.as(admin)<any>(`{ engagementPatterns { segment volume winRate { successes sample rate } } }`),
    ).engagementPatterns;

    // Assert: o3 (3 touches) won, o4 (1) lost; o5 and o6 had none in their 30 days before closing, one won
    expect(patterns).toEqual([
      { segment: 'Retail', volume: 'LIGHT', winRate: { successes: 0, sample: 1, rate: 0 } },
      { segment: 'Retail', volume: 'STEADY', winRate: { successes: 1, sample: 1, rate: 1 } },
      { segment: 'Software', volume: 'NO_TOUCH', winRate: { successes: 1, sample: 2, rate: 0.5 } },
    ]);
  });

  it('refuses a window outside 1-365 days with the field named', async () => {
    const response = await subject.as(admin)<any>(`{ engagementPatterns(windowDays: 0) { segment } }`);
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'windowDays' });
  });
});
