import { randomUUID } from 'node:crypto';

import type { Actor } from '@pipeline/domain';
import { adminActor, analystActor, errorCodes, expectNoErrors, managerActor, mintUserToken, repActor, waitFor } from '@pipeline/testing';

import { callAs, gatewayUrl } from './e2e-env';
import { convertLead, createLead, createRep, qualifyLead } from './scenario';

// Row-level rules in every path: entity reads, lists and their counts, references across subgraphs, aggregates,
// exports, writes and imports; for every role and every relation to the record's owner.
describe('who sees and changes what (role x operation x ownership)', () => {
  const teamOne = `one-${randomUUID().slice(0, 6)}`;
  const teamTwo = `two-${randomUUID().slice(0, 6)}`;
  let owner: string;
  let ownerEmail: string;
  let teammate: string;
  let stranger: string;
  let leadId: string;
  let opportunityId: string;
  let company: string;

  beforeAll(async () => {
    const admin = await callAs(adminActor());
    ownerEmail = `owner-${randomUUID()}@example.com`;
    owner = await createRep(admin, { teamId: teamOne, email: ownerEmail });
    teammate = await createRep(admin, { teamId: teamOne });
    stranger = await createRep(admin, { teamId: teamTwo });
    company = `Matrix ${randomUUID().slice(0, 8)}`;
    leadId = await createLead(admin, owner, { company });
    await qualifyLead(admin, leadId);
    opportunityId = (await convertLead(admin, leadId)).id;
    expectNoErrors(
      await admin(`mutation($input: CreateProposalInput!) { createProposal(input: $input) { proposal { id } } }`, {
        input: { opportunityId, lineItems: [{ description: 'x', quantity: 1, unitPrice: { amount: '10.00', currency: 'EUR' } }] },
      }),
    );
    await waitFor(
      async () =>
        expectNoErrors(
          await admin<any>(`query($f: MetricsFilter) { pipelineMetrics(filter: $f) { pipelineSize { openCount } } }`, { f: { ownerIds: [owner] } }),
        ).pipelineMetrics.pipelineSize.openCount === 1,
      {
        what: 'analytics to see the opportunity',
      },
    );
  });

  type Row = [label: string, actor: () => Actor, sees: boolean, write: 'OK' | 'NOT_FOUND' | 'FORBIDDEN'];
  const rows: Row[] = [
    ['the owner (REP)', () => repActor(owner, teamOne), true, 'OK'],
    ['a rep of the same team', () => repActor(teammate, teamOne), false, 'NOT_FOUND'],
    ['a rep of another team', () => repActor(stranger, teamTwo), false, 'NOT_FOUND'],
    ["the owner's team manager", () => managerActor(teamOne), true, 'OK'],
    ['a manager of another team', () => managerActor(teamTwo), false, 'NOT_FOUND'],
    ['an analyst', () => analystActor(), true, 'FORBIDDEN'],
    ['an admin', () => adminActor(), true, 'OK'],
    // ANALYST widens what a token reads, never what it changes.
    ['the owner as REP+ANALYST', () => ({ userId: owner, roles: ['REP', 'ANALYST'], teamId: teamOne }), true, 'OK'],
    ['a rep of another team as REP+ANALYST', () => ({ userId: stranger, roles: ['REP', 'ANALYST'], teamId: teamTwo }), true, 'FORBIDDEN'],
    ['a manager of another team as MANAGER+ANALYST', () => ({ ...managerActor(teamTwo), roles: ['MANAGER', 'ANALYST'] }), true, 'FORBIDDEN'],
  ];

  it.each(rows)('%s', async (_label, actorOf, sees, write) => {
    // Arrange
    const actor = actorOf();
    const call = await callAs(actor);
    const count = sees ? 1 : 0;

    // Act
    const reads = expectNoErrors(
      await call<any>(
        `query($lead: ID!, $opportunity: ID!, $company: String, $owners: [ID!]) {
          lead(id: $lead) { id opportunity { id } }
          leads(filter: { search: $company }) { totalCount }
          opportunity(id: $opportunity) { id lead { id } deal { id } }
          opportunities(filter: { search: $company }) { totalCount }
          deal(opportunityId: $opportunity) { id }
          pipelineMetrics(filter: { ownerIds: $owners }) { pipelineSize { openCount } }
          stageChangeEvents(opportunityId: $opportunity) { totalCount }
        }`,
        { lead: leadId, opportunity: opportunityId, company, owners: [owner] },
      ),
    );
    const csv = await (
      await fetch(gatewayUrl().replace('/graphql', '/exports/reports/rep.csv'), { headers: { authorization: `Bearer ${await mintUserToken(actor)}` } })
    ).text();
    const opportunityWrite = await call(`mutation($input: LogActivityInput!) { logActivity(input: $input) { activity { id } } }`, {
      input: { opportunityId, type: 'NOTE', subject: 'Matrix check' },
    });
    const leadWrite = await call(`mutation($input: LogLeadActivityInput!) { logLeadActivity(input: $input) { activity { id } } }`, {
      input: { leadId, type: 'NOTE', subject: 'Matrix check' },
    });

    // Assert
    expect({
      lead: reads.lead?.id === leadId,
      leadCount: reads.leads.totalCount,
      opportunity: reads.opportunity?.id === opportunityId,
      leadViaOpportunity: reads.opportunity?.lead?.id === leadId,
      dealViaOpportunity: Boolean(reads.opportunity?.deal?.id),
      opportunityCount: reads.opportunities.totalCount,
      deal: Boolean(reads.deal?.id),
      metricsOpenCount: reads.pipelineMetrics.pipelineSize.openCount,
      streamEvents: reads.stageChangeEvents.totalCount > 0,
      csvHasOwner: csv.includes(owner),
      writeOpportunity: opportunityWrite.errors ? errorCodes(opportunityWrite)[0] : 'OK',
      writeLead: leadWrite.errors ? errorCodes(leadWrite)[0] : 'OK',
    }).toEqual({
      lead: sees,
      leadCount: count,
      opportunity: sees,
      leadViaOpportunity: sees,
      dealViaOpportunity: sees,
      opportunityCount: count,
      deal: sees,
      metricsOpenCount: count,
      streamEvents: sees,
      csvHasOwner: sees,
      writeOpportunity: write,
      writeLead: write,
    });
  });

  it('keeps imports to what the importer may assign: a rep cannot import leads for someone else', async () => {
    const rep = await callAs(repActor(teammate, teamOne));
    const report = expectNoErrors(
      await rep<any>(`mutation($input: ImportLeadsInput!) { importLeads(input: $input) { created rejected errors { field } } }`, {
        input: { csv: `name,company,source,ownerEmail\nX,${company} import,INBOUND,${ownerEmail}`, mode: 'PER_ROW' },
      }),
    ).importLeads;
    expect(report).toEqual({ created: 0, rejected: 1, errors: [{ field: 'ownerEmail' }] });
  });
});
