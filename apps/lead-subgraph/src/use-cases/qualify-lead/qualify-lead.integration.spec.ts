import { randomUUID } from 'node:crypto';

import { TOPICS } from '@pipeline/events';
import { adminActor, analystActor, errorCodes, expectNoErrors, repActor, type TestService, TopicReader, waitFor } from '@pipeline/testing';

import { createLead, createRep, inDays, qualify, startLeadService } from '../../test-support';

describe('qualifyLead (BANT)', () => {
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startLeadService('qualify_lead');
  });
  afterAll(async () => subject?.stop());

  it('marks a lead QUALIFIED when every criterion is met and publishes lead.qualified', async () => {
    // Arrange
    const reader = new TopicReader([`${subject.topicPrefix}${TOPICS.leadEvents}`]);
    await reader.start();
    const lead = await createLead(subject.as(admin));

    // Act
    const qualified = expectNoErrors(await qualify(subject.as(admin), lead.id)).qualifyLead.lead;

    // Assert
    expect(qualified).toMatchObject({ status: 'QUALIFIED', qualification: { unmetCriteria: [], criteriaVersion: 1 } });
    expect(qualified.score).toBeGreaterThan(lead.score);
    const event = await waitFor(() => reader.parsed<any>().find(({ event }) => event.subject === lead.id && event.type === 'sales.lead.qualified.v1'), {
      what: 'lead.qualified',
    });
    await reader.stop();
    expect(event.event.data).toMatchObject({ leadId: lead.id, criteriaVersion: 1, lead: { status: 'QUALIFIED', need: 'Pipeline visibility' } });
  });

  it('marks it DISQUALIFIED with the unmet keys otherwise', async () => {
    const lead = await createLead(subject.as(admin));
    const result = expectNoErrors(await qualify(subject.as(admin), lead.id, { isDecisionMaker: false, expectedPurchaseDate: inDays(400) })).qualifyLead.lead;
    expect(result).toMatchObject({ status: 'DISQUALIFIED', qualification: { unmetCriteria: ['AUTHORITY', 'TIMELINE'] } });
  });

  it('judges by the criteria in force, which an admin changes without a deploy; each lead keeps its version', async () => {
    // Arrange
    const before = await createLead(subject.as(admin));
    expectNoErrors(await qualify(subject.as(admin), before.id, { budget: { amount: '2000', currency: 'EUR' } }));

    // Act
    const updated = expectNoErrors(
      await subject.as(admin)<any>(
        `mutation($input: UpdateQualificationCriteriaInput!) { updateQualificationCriteria(input: $input) { criteria { version minimumBudget { amount currency } maxPurchaseHorizonDays } } }`,
        { input: { minimumBudget: { amount: '5000', currency: 'EUR' }, maxPurchaseHorizonDays: 60, requireDecisionMaker: true, requireConfirmedNeed: true } },
      ),
    ).updateQualificationCriteria.criteria;
    const after = await createLead(subject.as(admin));
    const judged = expectNoErrors(await qualify(subject.as(admin), after.id, { budget: { amount: '2000', currency: 'EUR' } })).qualifyLead.lead;

    // Assert
    expect(updated).toMatchObject({ minimumBudget: { amount: '5000.00', currency: 'EUR' }, maxPurchaseHorizonDays: 60 });
    expect(judged).toMatchObject({ status: 'DISQUALIFIED', qualification: { unmetCriteria: ['BUDGET'], criteriaVersion: updated.version } });
    const kept = expectNoErrors(
      await subject.as(admin)<any>(`query($id: ID!) { lead(id: $id) { status qualification { criteriaVersion } } }`, { id: before.id }),
    ).lead;
    expect(kept).toEqual({ status: 'QUALIFIED', qualification: { criteriaVersion: updated.version - 1 } });
    expectNoErrors(
      await subject.as(admin)(`mutation($input: UpdateQualificationCriteriaInput!) { updateQualificationCriteria(input: $input) { criteria { version } } }`, {
        input: { maxPurchaseHorizonDays: 180, requireDecisionMaker: true, requireConfirmedNeed: true },
      }),
    );
  });

  it('lets only admins change the criteria', async () => {
    const response = await subject.as(repActor(randomUUID()))(
      `mutation($input: UpdateQualificationCriteriaInput!) { updateQualificationCriteria(input: $input) { criteria { version } } }`,
      {
        input: { maxPurchaseHorizonDays: 1, requireDecisionMaker: false, requireConfirmedNeed: false },
      },
    );
    expect(errorCodes(response)).toEqual(['FORBIDDEN']);
  });

  it("hides other reps' leads (NOT_FOUND), lets analysts read but not qualify (FORBIDDEN), and validates input", async () => {
    // Arrange
    const ownerId = await createRep(subject.as(admin));
    const lead = await createLead(subject.as(admin), { ownerId });

    // Act
    const otherRep = await qualify(subject.as(repActor(randomUUID())), lead.id);
    const analyst = await qualify(subject.as(analystActor()), lead.id);
    const badDate = await qualify(subject.as(admin), lead.id, { expectedPurchaseDate: '2027-02-30' });
    const badBudget = await qualify(subject.as(admin), lead.id, { budget: { amount: '-5', currency: 'EUR' } });

    // Assert
    expect(errorCodes(otherRep)).toEqual(['NOT_FOUND']);
    expect(errorCodes(analyst)).toEqual(['FORBIDDEN']);
    expect(badDate.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'expectedPurchaseDate' });
    expect(badBudget.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'budget.amount' });
    const unchanged = expectNoErrors(await subject.as(admin)<any>(`query($id: ID!) { lead(id: $id) { status version } }`, { id: lead.id })).lead;
    expect(unchanged).toEqual({ status: 'NEW', version: 1 });
  });
});
