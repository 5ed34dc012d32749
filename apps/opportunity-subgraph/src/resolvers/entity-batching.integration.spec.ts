import { QueryCounter } from '@pipeline/persistence';
import { LOCAL_INTERNAL_SECRET } from '@pipeline/server-kit';
import { adminActor, expectNoErrors, startTestService, type TestService } from '@pipeline/testing';

import { opportunityService } from '../server';

describe('entity references from other subgraphs', () => {
  const sql = new QueryCounter();
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startTestService('entity_batching', opportunityService({ config: { internalSecret: LOCAL_INTERNAL_SECRET, production: false } }), {
      sqlLogger: sql,
    });
  });
  afterAll(async () => subject?.stop());

  it('resolves a batch of 25 opportunity references with one SQL statement, not one per row', async () => {
    // Arrange
    const ids: string[] = [];
    for (let index = 0; index < 25; index += 1) {
      const data = expectNoErrors(
        await subject.as(admin)<any>(`mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { opportunity { id } } }`, {
          input: { name: `Deal ${index}`, accountName: `Account ${index}`, amount: { amount: '1000', currency: 'EUR' } },
        }),
      );
      ids.push(data.createOpportunity.opportunity.id);
    }
    sql.reset();

    // Act
    const response = await subject.as(admin)<any>(
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Opportunity { id name status } } }`,
      {
        representations: ids.map((id) => ({ __typename: 'Opportunity', id })),
      },
    );

    // Assert
    expect(expectNoErrors(response)._entities.map((entity: { id: string }) => entity.id)).toEqual(ids);
    expect(sql.matching(/FROM\s+"?opportunity"?\s/i)).toHaveLength(1);
  });
});
