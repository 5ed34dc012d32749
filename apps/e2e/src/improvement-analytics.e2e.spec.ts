import { randomUUID } from 'node:crypto';

import { adminActor, errorCodes, expectNoErrors, repActor, waitFor } from '@pipeline/testing';

import { callAs } from './e2e-env';
import { convertLead, createLead, createRep, move, qualifyLead } from './scenario';

describe('continuous improvement analytics, end to end through the gateway', () => {
  it('a refused move, a logged call and an objection reach gate friction, engagement, objections and time travel; each rep sees only their own', async () => {
    // Arrange: a rep of a fresh team owns a converted opportunity (amount and close date set, no proposal yet)
    const started = new Date(Date.now() - 1_000).toISOString();
    const admin = await callAs(adminActor());
    const team = `improve-${randomUUID().slice(0, 6)}`;
    const repId = await createRep(admin, { teamId: team });
    const otherId = await createRep(admin, { teamId: team });
    const rep = await callAs(repActor(repId, team));
    const other = await callAs(repActor(otherId, team));
    const leadId = await createLead(admin, repId);
    await qualifyLead(admin, leadId);
    const opportunity = await convertLead(admin, leadId);

    // Act: a skip to NEGOTIATION is refused (no proposal sent); the rep logs a call
    const refused = await move(rep, opportunity.id, 'NEGOTIATION');
    expectNoErrors(
      await rep(`mutation($input: LogActivityInput!) { logActivity(input: $input) { activity { id } } }`, {
        input: { opportunityId: opportunity.id, type: 'CALL', subject: 'Discovery call' },
      }),
    );

    // Assert: the caller got the gate's error, unchanged
    expect(errorCodes(refused)).toEqual(['STAGE_GATE_FAILED']);
    expect(refused.errors?.[0].extensions?.unmetCriteria).toEqual(['PROPOSAL_SENT']);
    // the refusal and the call arrive in analytics as facts
    const friction = await waitFor(
      async () => {
        const data = expectNoErrors(
          await rep<any>(`{ gateFriction { criteria { criterion refusals opportunities stillBlocked } unblockedWinRate { sample } } }`),
        ).gateFriction;
        return data.criteria.length > 0 ? data : null;
      },
      { timeoutMs: 30_000, what: 'the refusal to reach gate friction' },
    );
    expect(friction.criteria).toEqual([{ criterion: 'PROPOSAL_SENT', refusals: 1, opportunities: 1, stillBlocked: 1 }]);
    const touches = await waitFor(
      async () => {
        const rows = expectNoErrors(await rep<any>(`{ opportunityTouches { opportunityId neverTouched } }`)).opportunityTouches;
        return rows.length === 1 && !rows[0].neverTouched ? rows : null;
      },
      { timeoutMs: 30_000, what: 'the call to reach engagement' },
    );
    expect(touches).toEqual([{ opportunityId: opportunity.id, neverTouched: false }]);
    // an objection recorded on the deal reaches the objection analytics
    expectNoErrors(
      await rep(`mutation($input: RecordObjectionInput!) { recordObjection(input: $input) { objection { id } } }`, {
        input: { opportunityId: opportunity.id, category: 'PRICE' },
      }),
    );
    const objections = await waitFor(
      async () => {
        const rows = expectNoErrors(await rep<any>(`{ objectionOutcomes { category opportunities } }`)).objectionOutcomes;
        return rows.length > 0 ? rows : null;
      },
      { timeoutMs: 30_000, what: 'the objection to reach analytics' },
    );
    expect(objections).toEqual([{ category: 'PRICE', opportunities: 1 }]);
    const rates = expectNoErrors(await rep<any>(`{ activityRates(by: REP) { rows { key activities } } }`)).activityRates.rows;
    expect(rates).toEqual([{ key: repId, activities: 1 }]);
    // time travel: the opportunity is new since the test started and open now
    const now = new Date().toISOString();
    const travel = expectNoErrors(
      await rep<any>(
        `query($from: DateTime!, $to: DateTime!) { pipelineAsOf(at: $to) { openCount } pipelineWaterfall(from: $from, to: $to) { steps { kind count } } }`,
        { from: started, to: now },
      ),
    );
    expect(travel.pipelineAsOf.openCount).toBe(1);
    expect(travel.pipelineWaterfall.steps.find((step: any) => step.kind === 'NEW')).toEqual({ kind: 'NEW', count: 1 });
    // forecast accuracy: nothing closed to judge yet; the company's is not for reps
    expect(expectNoErrors(await rep<any>(`{ forecastAccuracy(level: REP) { key } }`)).forecastAccuracy).toEqual([]);
    expect(errorCodes(await rep(`{ forecastAccuracy(level: COMPANY) { key } }`))).toEqual(['FORBIDDEN']);
    // another rep of the same team sees none of it
    const theirs = expectNoErrors(
      await other<any>(`{ gateFriction { criteria { criterion } } opportunityTouches { opportunityId } activityRates(by: REP) { rows { key activities } } }`),
    );
    expect(theirs).toEqual({ gateFriction: { criteria: [] }, opportunityTouches: [], activityRates: { rows: [{ key: otherId, activities: 0 }] } });
  });
});
