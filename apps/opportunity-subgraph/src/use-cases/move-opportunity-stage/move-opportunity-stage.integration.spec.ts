import { TOPICS, validateCloudEvent } from '@pipeline/events';
import { adminActor, errorCodes, expectNoErrors, type TestService, TopicReader, waitFor } from '@pipeline/testing';

import { createOpportunity, moveStage, readOpportunity, startOpportunityService } from '../../test-support';

describe('moveOpportunityStage through the stage gates', () => {
  let subject: TestService;
  const admin = adminActor();
  const ready = { amount: { amount: '9000', currency: 'EUR' }, expectedCloseDate: '2027-03-31' };

  beforeAll(async () => {
    subject = await startOpportunityService('move_stage');
  });
  afterAll(async () => subject?.stop());

  it('refuses to enter PROPOSAL without amount and close date, names the unmet criteria and writes nothing', async () => {
    // Arrange
    const opportunity = await createOpportunity(subject.as(admin));

    // Act
    const response = await moveStage(subject.as(admin), opportunity.id, 'PROPOSAL');

    // Assert
    expect(errorCodes(response)).toEqual(['STAGE_GATE_FAILED']);
    expect(response.errors?.[0].extensions?.unmetCriteria).toEqual(['AMOUNT_SET', 'CLOSE_DATE_SET']);
    const after = await readOpportunity(subject.as(admin), opportunity.id);
    expect(after).toMatchObject({ version: 1, stage: { key: 'QUALIFICATION' } });
    expect(after.stageHistory).toHaveLength(1);
  });

  it('does not let a forward skip pass over the gates of the stages it skips', async () => {
    const opportunity = await createOpportunity(subject.as(admin), ready);
    const response = await moveStage(subject.as(admin), opportunity.id, 'NEGOTIATION');
    expect(errorCodes(response)).toEqual(['STAGE_GATE_FAILED']);
    expect(response.errors?.[0].extensions?.unmetCriteria).toEqual(['PROPOSAL_SENT']);
  });

  it('records each move with who, when, why, the time spent before and the version after', async () => {
    // Arrange
    const opportunity = await createOpportunity(subject.as(admin), ready);

    // Act
    expectNoErrors(await moveStage(subject.as(admin), opportunity.id, 'PROPOSAL', { expectedVersion: 1, reason: 'Scoped with the buyer' }));
    const back = await moveStage(subject.as(admin), opportunity.id, 'QUALIFICATION');
    expectNoErrors(await moveStage(subject.as(admin), opportunity.id, 'QUALIFICATION', { reason: 'Budget owner changed' }));

    // Assert
    expect(errorCodes(back)).toEqual(['STAGE_GATE_FAILED']);
    expect(back.errors?.[0].extensions?.unmetCriteria).toEqual(['REASON_REQUIRED']);
    const history = expectNoErrors(
      await subject.as(admin)<any>(
        `query($id: ID!) { opportunity(id: $id) { stageHistory { fromStage toStage changedBy reason version timeInPreviousStageSeconds } } }`,
        { id: opportunity.id },
      ),
    ).opportunity.stageHistory;
    expect(history).toEqual([
      { fromStage: null, toStage: 'QUALIFICATION', changedBy: admin.userId, reason: null, version: 1, timeInPreviousStageSeconds: null },
      {
        fromStage: 'QUALIFICATION',
        toStage: 'PROPOSAL',
        changedBy: admin.userId,
        reason: 'Scoped with the buyer',
        version: 2,
        timeInPreviousStageSeconds: expect.any(Number),
      },
      {
        fromStage: 'PROPOSAL',
        toStage: 'QUALIFICATION',
        changedBy: admin.userId,
        reason: 'Budget owner changed',
        version: 3,
        timeInPreviousStageSeconds: expect.any(Number),
      },
    ]);
    const recent = expectNoErrors(
      await subject.as(admin)<any>(`query($id: ID!) { opportunity(id: $id) { stageHistory(first: 2) { version } } }`, { id: opportunity.id }),
    );
    expect(recent.opportunity.stageHistory).toEqual([{ version: 2 }, { version: 3 }]);
  });

  it('closes LOST only with a reason, and then refuses any further move', async () => {
    // Arrange
    const opportunity = await createOpportunity(subject.as(admin));

    // Act
    const withoutReason = await moveStage(subject.as(admin), opportunity.id, 'CLOSED_LOST');
    const lost = expectNoErrors(await moveStage(subject.as(admin), opportunity.id, 'CLOSED_LOST', { reason: 'No budget this year' }));
    const afterClose = await moveStage(subject.as(admin), opportunity.id, 'PROPOSAL');

    // Assert
    expect(withoutReason.errors?.[0].extensions?.unmetCriteria).toEqual(['LOST_REASON_SET']);
    expect(lost.moveOpportunityStage.opportunity).toMatchObject({
      status: 'LOST',
      stage: { key: 'CLOSED_LOST' },
      lostReason: 'No budget this year',
      probability: 0,
    });
    expect(errorCodes(afterClose)).toEqual(['CONFLICT']);
  });

  it('refuses CLOSED_WON through the API until the deal service has recorded the deal as won', async () => {
    const opportunity = await createOpportunity(subject.as(admin), ready);
    const response = await moveStage(subject.as(admin), opportunity.id, 'CLOSED_WON');
    expect(response.errors?.[0].extensions?.unmetCriteria).toEqual(['DEAL_WON']);
  });

  it('refuses unknown stages and malformed input as BAD_USER_INPUT naming the field', async () => {
    const opportunity = await createOpportunity(subject.as(admin));
    const unknown = await moveStage(subject.as(admin), opportunity.id, 'WAITING');
    const malformed = await moveStage(subject.as(admin), opportunity.id, "PROPOSAL'; DROP TABLE opportunity; --");
    const badVersion = await moveStage(subject.as(admin), opportunity.id, 'PROPOSAL', { expectedVersion: -3 });
    expect([unknown, malformed, badVersion].map((response) => response.errors?.[0].extensions)).toEqual([
      expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'toStage' }),
      expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'toStage' }),
      expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'expectedVersion' }),
    ]);
  });

  it('lets exactly one of many concurrent moves with the same expectedVersion win; history and versions stay consistent', async () => {
    // Arrange
    const opportunity = await createOpportunity(subject.as(admin), ready);

    // Act
    const responses = await Promise.all(Array.from({ length: 12 }, () => moveStage(subject.as(admin), opportunity.id, 'PROPOSAL', { expectedVersion: 1 })));

    // Assert
    const codes = responses.map((response) => (response.errors ? errorCodes(response)[0] : 'OK'));
    expect(codes.filter((code) => code === 'OK')).toHaveLength(1);
    expect(codes.filter((code) => code === 'CONFLICT')).toHaveLength(11);
    const after = await readOpportunity(subject.as(admin), opportunity.id);
    expect(after.version).toBe(2);
    expect(after.stageHistory.map((entry: { version: number }) => entry.version)).toEqual([1, 2]);
  });

  it('keeps a probability override apart from the stage default, across stage moves', async () => {
    // Arrange
    const opportunity = await createOpportunity(subject.as(admin), ready);

    // Act
    expectNoErrors(
      await subject.as(admin)(`mutation($input: UpdateOpportunityInput!) { updateOpportunity(input: $input) { opportunity { id } } }`, {
        input: { opportunityId: opportunity.id, probability: 0.75 },
      }),
    );
    const moved = expectNoErrors(await moveStage(subject.as(admin), opportunity.id, 'PROPOSAL')).moveOpportunityStage.opportunity;
    const cleared = expectNoErrors(
      await subject.as(admin)<any>(
        `mutation($input: UpdateOpportunityInput!) { updateOpportunity(input: $input) { opportunity { probability probabilityOverride } } }`,
        {
          input: { opportunityId: opportunity.id, clearProbabilityOverride: true },
        },
      ),
    ).updateOpportunity.opportunity;

    // Assert
    expect(moved).toMatchObject({ probability: 0.75, probabilityOverride: 0.75 });
    expect(cleared).toEqual({ probability: 0.4, probabilityOverride: null });
  });

  it('publishes one schema-valid stage-changed event per move, in order per opportunity', async () => {
    // Arrange
    const reader = new TopicReader([`${subject.topicPrefix}${TOPICS.stageChanged}`]);
    await reader.start();
    const opportunity = await createOpportunity(subject.as(admin), ready);

    // Act
    expectNoErrors(await moveStage(subject.as(admin), opportunity.id, 'PROPOSAL'));
    expectNoErrors(await moveStage(subject.as(admin), opportunity.id, 'QUALIFICATION', { reason: 'Re-scoping' }));
    expectNoErrors(await moveStage(subject.as(admin), opportunity.id, 'CLOSED_LOST', { reason: 'Went dark' }));

    // Assert
    const events = await waitFor(
      () => {
        const mine = reader.parsed<any>().filter(({ message }) => message.key === opportunity.id);
        return mine.length === 4 ? mine.map(({ event }) => event) : null;
      },
      { what: 'four events' },
    );
    await reader.stop();
    expect(events.flatMap(validateCloudEvent)).toEqual([]);
    expect(events.map((event) => [event.data.version, event.data.stageSequence, event.data.fromStage, event.data.toStage])).toEqual([
      [1, 1, null, 'QUALIFICATION'],
      [2, 2, 'QUALIFICATION', 'PROPOSAL'],
      [3, 3, 'PROPOSAL', 'QUALIFICATION'],
      [4, 4, 'QUALIFICATION', 'CLOSED_LOST'],
    ]);
    expect(events[3].data).toMatchObject({ toStageCategory: 'LOST', reason: 'Went dark', opportunity: { status: 'LOST', probability: 0 } });
  });

  it('still refuses a gated move with its error, and publishes the refusal with its unmet criteria as a fact', async () => {
    // Arrange
    const reader = new TopicReader([`${subject.topicPrefix}${TOPICS.opportunityEvents}`]);
    await reader.start();
    const opportunity = await createOpportunity(subject.as(admin));

    // Act
    const response = await moveStage(subject.as(admin), opportunity.id, 'PROPOSAL');

    // Assert: the caller's error is unchanged, nothing moved, and one refusal fact arrives
    expect(errorCodes(response)).toEqual(['STAGE_GATE_FAILED']);
    expect(response.errors?.[0].extensions?.unmetCriteria).toEqual(['AMOUNT_SET', 'CLOSE_DATE_SET']);
    expect(await readOpportunity(subject.as(admin), opportunity.id)).toMatchObject({ version: 1, stage: { key: 'QUALIFICATION' } });
    const refusals = await waitFor(
      () => {
        const mine = reader
          .parsed<any>()
          .filter(({ message, event }) => message.key === opportunity.id && event.type === 'sales.opportunity.stage_move_refused.v1');
        return mine.length === 1 ? mine.map(({ event }) => event) : null;
      },
      { what: 'the refusal fact' },
    );
    await reader.stop();
    expect(validateCloudEvent(refusals[0])).toEqual([]);
    expect(refusals[0].data).toMatchObject({
      opportunityId: opportunity.id,
      fromStage: 'QUALIFICATION',
      toStage: 'PROPOSAL',
      unmetCriteria: ['AMOUNT_SET', 'CLOSE_DATE_SET'],
      refusedBy: admin.userId,
      version: 1,
    });
  });
});
