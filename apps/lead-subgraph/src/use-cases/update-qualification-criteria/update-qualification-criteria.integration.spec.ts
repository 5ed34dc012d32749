import { TOPICS, validateCloudEvent } from '@pipeline/events';
import { adminActor, expectNoErrors, type TestService, TopicReader, waitFor } from '@pipeline/testing';

import { startLeadService } from '../../test-support';

describe('updateQualificationCriteria', () => {
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startLeadService('criteria_changed');
  });
  afterAll(async () => subject?.stop());

  it('publishes each new criteria version as a process-change fact, in the transaction that makes it', async () => {
    // Arrange
    const reader = new TopicReader([`${subject.topicPrefix}${TOPICS.leadEvents}`]);
    await reader.start();

    // Act
    const criteria = expectNoErrors(
      await subject.as(admin)<any>(
        `mutation($input: UpdateQualificationCriteriaInput!) { updateQualificationCriteria(input: $input) { criteria { version } } }`,
        {
          input: { minimumBudget: { amount: '5000', currency: 'EUR' }, maxPurchaseHorizonDays: 60, requireDecisionMaker: true, requireConfirmedNeed: false },
        },
      ),
    ).updateQualificationCriteria.criteria;

    // Assert
    const event = await waitFor(
      () => reader.parsed<any>().find(({ event: candidate }) => candidate.type === 'sales.qualification.criteria_changed.v1')?.event,
      { what: 'the criteria fact' },
    );
    await reader.stop();
    expect(validateCloudEvent(event)).toEqual([]);
    expect(event.data).toMatchObject({
      version: criteria.version,
      changedBy: admin.userId,
      minimumBudget: { amount: '5000.00', currency: 'EUR' },
      maxPurchaseHorizonDays: 60,
      requireDecisionMaker: true,
      requireConfirmedNeed: false,
    });
  });
});
