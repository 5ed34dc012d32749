import { QueryCounter } from '@pipeline/persistence';
import { LOCAL_INTERNAL_SECRET } from '@pipeline/server-kit';
import { adminActor, expectNoErrors, startTestService, type TestService } from '@pipeline/testing';

import { leadService } from '../server';

describe('lead references from other subgraphs', () => {
  const sql = new QueryCounter();
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startTestService('lead_batching', leadService({ config: { internalSecret: LOCAL_INTERNAL_SECRET, production: false } }), {
      sqlLogger: sql,
    });
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
    const response = await subject.as(admin)<any>(
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Lead { id owner { id openLeadCount } } } }`,
      {
        representations: ids.map((id) => ({ __typename: 'Lead', id })),
      },
    );

    // Assert
    const entities = expectNoErrors(response)._entities;
    expect(entities.map((entity: { id: string }) => entity.id)).toEqual(ids);
    expect(entities.every((entity: any) => entity.owner.id === rep && entity.owner.openLeadCount === 30)).toBe(true);
    // The batch's lead statement (with its owner's team) and its rep statement; quoted or not, as the ORM or plain SQL writes them.
    expect(sql.matching(/FROM\s+"?lead"?\s+("lead"\s+)?LEFT JOIN\s+"?sales_rep"?/i)).toHaveLength(1);
    expect(sql.matching(/FROM\s+"?sales_rep"?\s/i)).toHaveLength(1);
    expect(sql.matching(/GROUP BY owner_id/i)).toHaveLength(1);
  });

  const createLeads = async (count: number, label: string): Promise<string[]> => {
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const data = expectNoErrors(
        await subject.as(admin)<any>(`mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } } }`, {
          input: { name: `${label} ${index}`, company: `${label} Co ${index}`, source: 'INBOUND' },
        }),
      );
      ids.push(data.createLead.lead.id);
    }
    return ids;
  };

  it('answers null for a malformed reference without failing the other references of the batch', async () => {
    // Arrange
    const ids = await createLeads(2, 'Malformed');

    // Act
    const response = await subject.as(admin)<any>(
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Lead { id } ... on SalesRep { id } } }`,
      {
        representations: [
          { __typename: 'Lead', id: ids[0] },
          { __typename: 'Lead', id: 'not-a-uuid' },
          { __typename: 'Lead', id: ids[1].toUpperCase() },
          { __typename: 'SalesRep', id: 'not-a-uuid-either' },
        ],
      },
    );

    // Assert
    expect(expectNoErrors(response)._entities).toEqual([{ id: ids[0] }, null, { id: ids[1] }, null]);
  });

  it('loads the newest activities of many leads with one statement, at most `first` per lead', async () => {
    // Arrange: three activities an hour apart on each of three leads
    const ids = await createLeads(3, 'Busy');
    for (const id of ids) {
      for (const hoursAgo of [3, 1, 2]) {
        expectNoErrors(
          await subject.as(admin)(`mutation($input: LogLeadActivityInput!) { logLeadActivity(input: $input) { activity { id } } }`, {
            input: { leadId: id, type: 'CALL', subject: `${hoursAgo}h ago`, occurredAt: new Date(Date.now() - hoursAgo * 3_600_000).toISOString() },
          }),
        );
      }
    }
    sql.reset();

    // Act
    const response = await subject.as(admin)<any>(
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Lead { id activities(first: 2) { subject } } } }`,
      {
        representations: ids.map((id) => ({ __typename: 'Lead', id })),
      },
    );
    const tooMany = await subject.as(admin)<any>(`query($id: ID!) { lead(id: $id) { activities(first: 501) { subject } } }`, { id: ids[0] });

    // Assert
    expect(expectNoErrors(response)._entities).toEqual(ids.map((id) => ({ id, activities: [{ subject: '1h ago' }, { subject: '2h ago' }] })));
    expect(sql.matching(/FROM\s+"?lead_activity"?/i)).toHaveLength(1);
    expect(tooMany.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});
