import { QueryCounter } from '@pipeline/persistence';
import { LOCAL_INTERNAL_SECRET } from '@pipeline/server-kit';
import { adminActor, expectNoErrors, startTestService, type TestService } from '@pipeline/testing';
import { leadService } from '../server';

describe('lead references from other subgraphs', () => {
  const sql = new QueryCounter();
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startTestService('lead_batching', leadService({ config: { internalSecret: LOCAL_INTERNAL_SECRET, production: false } }), { sqlLogger: sql });
  });
  afterAll(async () => subject?.stop());

  it('resolves 30 lead references and their owners with one statement per entity batch', async () => {
    // Arrange
    const rep = expectNoErrors(
      await subject.as(admin)<any>(`mutation($input: CreateSalesRepInput!) { createSalesRep(input: $input) { salesRep { id } } }`, {
        input: { name: 'Owner', email: 'owner@example.com', role: 'REP', regions: [], industries: [], capacity: 100 },
      }),
    ).createSalesRep.salesRep.id;
    const ids: string[] = [];
    for (let index = 0; index < 30; index += 1) {
      const data = expectNoErrors(
        await subject.as(admin)<any>(`mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } } }`, {
          input: { name: `Person ${index}`, company: `Company ${index}`, source: 'INBOUND', ownerId: rep },
        }),
      );
      ids.push(data.createLead.lead.id);
    }
    sql.reset();

    // Act
    const response = await subject.as(admin)<any>(`query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Lead { id owner { id openLeadCount } } } }`, {
      representations: ids.map((id) => ({ __typename: 'Lead', id })),
    });

    // Assert
    const entities = expectNoErrors(response)._entities;
    expect(entities.map((entity: { id: string }) => entity.id)).toEqual(ids);
    expect(entities.every((entity: any) => entity.owner.id === rep && entity.owner.openLeadCount === 30)).toBe(true);
    expect(sql.matching(/FROM "lead"/i)).toHaveLength(1);
    expect(sql.matching(/FROM "sales_rep"/i)).toHaveLength(1);
    expect(sql.matching(/GROUP BY owner_id/i)).toHaveLength(1);
  });
});
