import { randomUUID } from 'node:crypto';

import { adminActor, analystActor, expectNoErrors, managerActor, repActor, type TestService } from '@pipeline/testing';

import { createLead, createRep, qualify, startLeadService } from '../../test-support';

const LIST = `query($filter: LeadFilter, $first: Int, $after: String) { leads(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name } } } }`;

describe('leads: filters, paging and who sees what', () => {
  let subject: TestService;
  const admin = adminActor();
  const industry = `Ind-${randomUUID().slice(0, 8)}`;
  let north1: string;
  let north2: string;
  let south: string;

  beforeAll(async () => {
    subject = await startLeadService('list_leads');
    north1 = await createRep(subject.as(admin), { teamId: 'north' });
    north2 = await createRep(subject.as(admin), { teamId: 'north' });
    south = await createRep(subject.as(admin), { teamId: 'south' });
    await createLead(subject.as(admin), { name: 'Alpha', industry, ownerId: north1, source: 'REFERRAL', email: 'alpha@example.com' });
    await createLead(subject.as(admin), { name: 'Beta', industry, ownerId: north2, source: 'EVENT', region: 'FR' });
    const gamma = await createLead(subject.as(admin), { name: 'Gamma', industry, ownerId: south, source: 'EVENT' });
    expectNoErrors(await qualify(subject.as(admin), gamma.id));
  });
  afterAll(async () => subject?.stop());

  const names = async (actor: ReturnType<typeof adminActor>, filter: Record<string, unknown>) => {
    const data = expectNoErrors(await subject.as(actor)<any>(LIST, { filter: { industry, ...filter } })).leads;
    return { total: data.totalCount, names: data.edges.map((edge: any) => edge.node.name).sort() };
  };

  it('filters by status, source, owner, region, score and a case-insensitive search', async () => {
    expect(await names(admin, { status: ['QUALIFIED'] })).toEqual({ total: 1, names: ['Gamma'] });
    expect(await names(admin, { source: ['EVENT'] })).toEqual({ total: 2, names: ['Beta', 'Gamma'] });
    expect(await names(admin, { ownerId: north1 })).toEqual({ total: 1, names: ['Alpha'] });
    expect(await names(admin, { region: 'fr' })).toEqual({ total: 1, names: ['Beta'] });
    expect(await names(admin, { search: 'ALPHA@' })).toEqual({ total: 1, names: ['Alpha'] });
    expect((await names(admin, { minScore: 45 })).names).toEqual(['Gamma']);
  });

  it('counts only what the caller may see: rep own, manager team, analyst all', async () => {
    expect(await names(repActor(north1, 'north'), {})).toEqual({ total: 1, names: ['Alpha'] });
    expect(await names(managerActor('north'), {})).toEqual({ total: 2, names: ['Alpha', 'Beta'] });
    expect(await names(analystActor(), {})).toEqual({ total: 3, names: ['Alpha', 'Beta', 'Gamma'] });
  });

  it('pages with cursors and refuses page sizes above 500', async () => {
    const first = expectNoErrors(await subject.as(admin)<any>(LIST, { filter: { industry }, first: 2 })).leads;
    const rest = expectNoErrors(await subject.as(admin)<any>(LIST, { filter: { industry }, first: 2, after: first.pageInfo.endCursor })).leads;
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect([...first.edges, ...rest.edges].map((edge: any) => edge.node.name).sort()).toEqual(['Alpha', 'Beta', 'Gamma']);
    const tooMany = await subject.as(admin)(LIST, { first: 501 });
    expect(tooMany.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});
