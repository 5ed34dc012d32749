import { randomUUID } from 'node:crypto';

import { adminActor, expectNoErrors, repActor, type TestService, waitFor } from '@pipeline/testing';

import { PIPELINE_ID, publishAll, startAnalytics } from '../../test-support';
import { criteriaChanged, leadEvents, opportunityEvents, pipelineRevised, repRegistered } from '../../test-support-events';

const COMPARE = `query($kind: ProcessChangeKind!, $version: Int!, $pipelineId: ID, $windowDays: Int) {
  compareProcessChange(kind: $kind, version: $version, pipelineId: $pipelineId, windowDays: $windowDays) {
    change { kind version subject }
    before { leadConversion { successes sample } winRate { successes sample } medianCycleDays cycleSample }
    after { leadConversion { successes sample } winRate { successes sample } medianCycleDays cycleSample }
    leadConversionVerdict winRateVerdict cycleVerdict minimumSample
  }
}`;

// Criteria v2 took effect on 1 July 2026: 40 leads in the 90 days before (8 converted), 40 after (20 converted).
describe('process changes and the cohorts around them', () => {
  const [repA, repB] = [randomUUID(), randomUUID()];
  let subject: TestService;
  const admin = adminActor();
  const day = (offset: number) => new Date(Date.UTC(2026, 6, 1) + offset * 86_400_000 + 3_600_000).toISOString();

  beforeAll(async () => {
    subject = await startAnalytics('process_changes');
    const events = [
      repRegistered(repA, 'north', 0),
      repRegistered(repB, 'south', 1),
      criteriaChanged(2, '2026-07-01T00:00:00Z'),
      // published twice: kept once
      pipelineRevised(PIPELINE_ID, 2, '2026-08-01T00:00:00Z'),
      pipelineRevised(PIPELINE_ID, 2, '2026-08-01T00:00:00Z'),
      ...Array.from({ length: 40 }, (_, index) => leadEvents(index % 2 ? repA : repB, day(-2 * index - 1), index < 8)).flat(),
      ...Array.from({ length: 40 }, (_, index) => leadEvents(index % 2 ? repA : repB, day(2 * index), index < 20)).flat(),
      // before the pipeline revision: 2 of 3 won (20 and 40 days); after: 1 of 2
      ...opportunityEvents({ ownerId: repA, amount: '10.00', currency: 'EUR', createdAt: '2026-07-10T00:00:00Z', wonAt: '2026-07-30T00:00:00Z' }),
      ...opportunityEvents({ ownerId: repA, amount: '10.00', currency: 'EUR', createdAt: '2026-07-11T00:00:00Z', wonAt: '2026-08-20T00:00:00Z' }),
      ...opportunityEvents({
        ownerId: repB,
        amount: '10.00',
        currency: 'EUR',
        createdAt: '2026-07-12T00:00:00Z',
        moves: [{ toStage: 'CLOSED_LOST', at: '2026-07-20T00:00:00Z' }],
      }),
      ...opportunityEvents({ ownerId: repA, amount: '10.00', currency: 'EUR', createdAt: '2026-08-10T00:00:00Z', wonAt: '2026-08-20T00:00:00Z' }),
      ...opportunityEvents({
        ownerId: repB,
        amount: '10.00',
        currency: 'EUR',
        createdAt: '2026-08-11T00:00:00Z',
        moves: [{ toStage: 'CLOSED_LOST', at: '2026-08-21T00:00:00Z' }],
      }),
    ];
    await publishAll(subject.topicPrefix, events);
    await waitFor(
      async () => {
        const [row] = await subject.service.dataSource.query(
          `SELECT (SELECT count(*) FROM lead_fact)::int AS leads, (SELECT count(*) FROM lead_fact WHERE converted_at IS NOT NULL)::int AS converted,
                  (SELECT count(*) FROM process_change)::int AS changes, (SELECT count(*) FROM opportunity_fact WHERE status <> 'OPEN')::int AS closed, (SELECT count(*) FROM rep_fact)::int AS reps`,
        );
        return row.leads === 80 && row.converted === 28 && row.changes === 2 && row.closed === 5 && row.reps === 2;
      },
      { timeoutMs: 60_000, what: 'analytics to ingest the history' },
    );
  });
  afterAll(async () => subject?.stop());

  it('lists the changes on record, newest first', async () => {
    const changes = expectNoErrors(await subject.as(admin)<any>(`{ processChanges { kind subject version changedAt } }`)).processChanges;
    expect(changes.map((change: any) => [change.kind, change.subject, change.version])).toEqual([
      ['PIPELINE_REVISION', PIPELINE_ID, 2],
      ['QUALIFICATION_CRITERIA', null, 2],
    ]);
  });

  it('finds lead conversion higher after the criteria change, and says when win rates are too few to tell', async () => {
    // Act
    const comparison = expectNoErrors(await subject.as(admin)<any>(COMPARE, { kind: 'QUALIFICATION_CRITERIA', version: 2 })).compareProcessChange;

    // Assert: 8/40 (Wilson 0.105-0.348) before vs 20/40 (0.352-0.648) after
    expect(comparison.before.leadConversion).toEqual({ successes: 8, sample: 40 });
    expect(comparison.after.leadConversion).toEqual({ successes: 20, sample: 40 });
    expect(comparison.leadConversionVerdict).toBe('HIGHER');
    expect(comparison.winRateVerdict).toBe('SAMPLE_TOO_SMALL');
    expect(comparison.cycleVerdict).toBe('SAMPLE_TOO_SMALL');
    expect(comparison.minimumSample).toBe(30);
  });

  it('compares a pipeline revision on that pipeline’s opportunities, within visibility', async () => {
    // Act
    const all = expectNoErrors(
      await subject.as(admin)<any>(COMPARE, { kind: 'PIPELINE_REVISION', version: 2, pipelineId: PIPELINE_ID, windowDays: 30 }),
    ).compareProcessChange;
    const asRepB = expectNoErrors(
      await subject.as(repActor(repB, 'south'))<any>(COMPARE, { kind: 'PIPELINE_REVISION', version: 2, pipelineId: PIPELINE_ID, windowDays: 30 }),
    ).compareProcessChange;
    const unnamed = await subject.as(admin)<any>(COMPARE, { kind: 'PIPELINE_REVISION', version: 2 });
    const unknown = await subject.as(admin)<any>(COMPARE, { kind: 'SCORING_MODEL', version: 7 });

    // Assert
    expect(all.before).toMatchObject({ winRate: { successes: 2, sample: 3 }, medianCycleDays: 30, cycleSample: 2 });
    expect(all.after).toMatchObject({ winRate: { successes: 1, sample: 2 }, medianCycleDays: 10, cycleSample: 1 });
    expect(asRepB.before.winRate).toEqual({ successes: 0, sample: 1 });
    expect(unnamed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'pipelineId' });
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});
