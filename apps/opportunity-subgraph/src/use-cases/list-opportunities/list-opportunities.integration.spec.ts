import { randomUUID } from 'node:crypto';

import { adminActor, analystActor, expectNoErrors, managerActor, repActor, type TestService, waitFor } from '@pipeline/testing';

import { createOpportunity, moveStage, publishRep, startOpportunityService } from '../../test-support';

const LIST = `query($filter: OpportunityFilter, $first: Int, $after: String, $orderBy: OpportunitySort) {
  opportunities(filter: $filter, first: $first, after: $after, orderBy: $orderBy) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name amount { amount } sizeBand } } }
}`;

describe('opportunities: filters, segments, sorting, paging and visibility', () => {
  let subject: TestService;
  const admin = adminActor();
  const alice = randomUUID();
  const bob = randomUUID();
  const carol = randomUUID();
  const industry = `Industry-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    subject = await startOpportunityService('list_opportunities');
    await publishRep(subject, alice, 'north');
    await publishRep(subject, bob, 'north');
    await publishRep(subject, carol, 'south');
    await waitFor(async () => (await subject.service.dataSource.query('SELECT count(*)::int AS count FROM rep_snapshot'))[0].count === 3, {
      what: 'rep snapshots',
    });
    const book: Array<[string, string, string]> = [
      [alice, '5000', 'A-small'],
      [alice, '20000', 'A-medium'],
      [bob, '75000', 'B-large'],
      [carol, '300000', 'C-enterprise'],
      [carol, '8000', 'C-small'],
    ];
    for (const [ownerId, amount, name] of book) {
      await createOpportunity(subject.as(admin), { name, industry, ownerId, amount: { amount, currency: 'EUR' }, expectedCloseDate: '2027-02-28' });
    }
  });
  afterAll(async () => subject?.stop());

  const names = (data: any) => data.opportunities.edges.map((edge: any) => edge.node.name);

  it('filters by amount range and industry, and sorts by amount', async () => {
    const data = expectNoErrors(
      await subject.as(admin)<any>(LIST, { filter: { industry, minAmount: '6000', maxAmount: '100000' }, orderBy: { field: 'AMOUNT', direction: 'DESC' } }),
    );
    expect(names(data)).toEqual(['B-large', 'A-medium', 'C-small']);
    expect(data.opportunities.totalCount).toBe(3);
  });

  it("filters by the owner's team, within what the caller sees, on the list and the board alike", async () => {
    const north = expectNoErrors(await subject.as(admin)<any>(LIST, { filter: { industry, teamId: 'north' }, orderBy: { field: 'AMOUNT', direction: 'ASC' } }));
    const southAsNorthManager = expectNoErrors(await subject.as(managerActor('north'))<any>(LIST, { filter: { industry, teamId: 'south' } }));
    const board = expectNoErrors(
      await subject.as(admin)<any>(`query($filter: OpportunityFilter) { pipelineBoard(filter: $filter) { totalCount } }`, {
        filter: { industry, teamId: 'south' },
      }),
    );
    expect(names(north)).toEqual(['A-small', 'A-medium', 'B-large']);
    expect(southAsNorthManager.opportunities.totalCount).toBe(0);
    expect(board.pipelineBoard.totalCount).toBe(2);
  });

  it('segments by configured deal-size bands', async () => {
    const bands = expectNoErrors(
      await subject.as(admin)<any>(LIST, { filter: { industry, sizeBand: ['SMALL', 'ENTERPRISE'] }, orderBy: { field: 'AMOUNT', direction: 'ASC' } }),
    );
    expect(names(bands)).toEqual(['A-small', 'C-small', 'C-enterprise']);
    const segments = expectNoErrors(
      await subject.as(admin)<any>(
        `query($filter: OpportunityFilter) { opportunitySegments(by: SIZE_BAND, filter: $filter) { key count amount { amount currency } } }`,
        { filter: { industry } },
      ),
    ).opportunitySegments;
    expect(segments).toEqual([
      { key: 'ENTERPRISE', count: 1, amount: [{ amount: '300000.00', currency: 'EUR' }] },
      { key: 'LARGE', count: 1, amount: [{ amount: '75000.00', currency: 'EUR' }] },
      { key: 'MEDIUM', count: 1, amount: [{ amount: '20000.00', currency: 'EUR' }] },
      { key: 'SMALL', count: 2, amount: [{ amount: '13000.00', currency: 'EUR' }] },
    ]);
  });

  it('pages with stable cursors while new opportunities are inserted', async () => {
    // Arrange
    const first = expectNoErrors(await subject.as(admin)<any>(LIST, { filter: { industry }, first: 2 }));

    // Act: a concurrent insert lands before the cursor
    await createOpportunity(subject.as(admin), { name: 'Z-newcomer', industry });
    const second = expectNoErrors(await subject.as(admin)<any>(LIST, { filter: { industry }, first: 10, after: first.opportunities.pageInfo.endCursor }));

    // Assert: no repeats, nothing skipped among the original five
    const seen = [...names(first), ...names(second)];
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(['A-medium', 'A-small', 'B-large', 'C-enterprise', 'C-small']);
    expect(second.opportunities.totalCount).toBe(6);
  });

  it('shows a rep their own, a manager the team, an analyst everything, with matching totalCount', async () => {
    const count = async (actor: Parameters<TestService['as']>[0]) =>
      expectNoErrors(await subject.as(actor)<any>(LIST, { filter: { industry, minAmount: '1' } })).opportunities.totalCount;
    expect(await count(repActor(alice, 'north'))).toBe(2);
    expect(await count(managerActor('north'))).toBe(3);
    expect(await count(managerActor('south'))).toBe(2);
    expect(await count(analystActor())).toBe(5);
  });

  it("hides another rep's opportunity from entity fetches and refuses changes by analysts", async () => {
    // Arrange
    const carols = await createOpportunity(subject.as(admin), { name: 'Carol private', industry: 'Private', ownerId: carol });

    // Act
    const asAlice = expectNoErrors(await subject.as(repActor(alice, 'north'))<any>(`query($id: ID!) { opportunity(id: $id) { id } }`, { id: carols.id }));
    const entity = expectNoErrors(
      await subject.as(repActor(alice, 'north'))<any>(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Opportunity { id } } }`, {
        r: [{ __typename: 'Opportunity', id: carols.id }],
      }),
    );
    const analystMove = await moveStage(subject.as(analystActor()), carols.id, 'CLOSED_LOST', { reason: 'x' });

    // Assert
    expect(asAlice.opportunity).toBeNull();
    expect(entity._entities).toEqual([null]);
    expect(analystMove.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
