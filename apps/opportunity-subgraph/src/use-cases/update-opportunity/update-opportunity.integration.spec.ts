import { TOPICS } from '@pipeline/events';
import { adminActor, expectNoErrors, type TestService, TopicReader, waitFor } from '@pipeline/testing';

import { createOpportunity, startOpportunityService } from '../../test-support';

const UPDATE = `mutation($input: UpdateOpportunityInput!) { updateOpportunity(input: $input) { opportunity { id version expectedCloseDate amount { amount currency } } } }`;

describe('updateOpportunity field history', () => {
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startOpportunityService('update_opportunity');
  });
  afterAll(async () => subject?.stop());

  it('publishes opportunity.updated with the earlier value of each changed field and who changed it', async () => {
    // Arrange
    const reader = new TopicReader([`${subject.topicPrefix}${TOPICS.opportunityEvents}`]);
    await reader.start();
    const opportunity = await createOpportunity(subject.as(admin), {
      amount: { amount: '12000', currency: 'EUR' },
      expectedCloseDate: '2027-01-31',
      industry: 'Software',
    });

    // Act: a slip and a cut, with one field sent unchanged
    const updated = expectNoErrors(
      await subject.as(admin)<any>(UPDATE, {
        input: {
          opportunityId: opportunity.id,
          expectedVersion: opportunity.version,
          expectedCloseDate: '2027-03-31',
          amount: { amount: '9000', currency: 'EUR' },
          industry: 'Software',
        },
      }),
    ).updateOpportunity.opportunity;

    // Assert
    expect(updated).toMatchObject({ version: opportunity.version + 1, expectedCloseDate: '2027-03-31' });
    const event = await waitFor(
      () => reader.parsed<any>().find(({ event }) => event.subject === opportunity.id && event.type === 'sales.opportunity.updated.v1'),
      { what: 'opportunity.updated' },
    );
    await reader.stop();
    expect(event.event.data).toMatchObject({
      changes: ['amount', 'expectedCloseDate'],
      previous: { amount: { amount: '12000.00', currency: 'EUR' }, expectedCloseDate: '2027-01-31' },
      opportunity: { amount: { amount: '9000.00', currency: 'EUR' }, expectedCloseDate: '2027-03-31' },
      changedBy: admin.userId,
    });
    expect(Object.keys(event.event.data.previous).sort()).toEqual(['amount', 'expectedCloseDate']);
  });
});
