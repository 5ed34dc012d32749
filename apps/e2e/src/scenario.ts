import { randomUUID } from 'node:crypto';

import { expectNoErrors, type GraphQLCall, waitFor } from '@pipeline/testing';

// Building blocks of the sales process, as a frontend would call them through the gateway.
export async function createRep(call: GraphQLCall, overrides: Record<string, unknown> = {}): Promise<string> {
  const data = expectNoErrors(
    await call<any>(`mutation($input: CreateSalesRepInput!) { createSalesRep(input: $input) { salesRep { id } } }`, {
      input: {
        name: 'Ada Rep',
        email: `rep-${randomUUID()}@example.com`,
        role: 'REP',
        teamId: 'team-e2e',
        regions: ['DE'],
        industries: ['Software'],
        capacity: 50,
        ...overrides,
      },
    }),
  );
  return data.createSalesRep.salesRep.id;
}

export async function createLead(call: GraphQLCall, ownerId: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const data = expectNoErrors(
    await call<any>(`mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } } }`, {
      input: {
        name: 'Grace Buyer',
        company: `Company ${randomUUID()}`,
        source: 'REFERRAL',
        ownerId,
        estimatedValue: { amount: '25000.00', currency: 'EUR' },
        ...overrides,
      },
    }),
  );
  return data.createLead.lead.id;
}

export const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

export async function qualifyLead(call: GraphQLCall, leadId: string): Promise<any> {
  return expectNoErrors(
    await call<any>(`mutation($input: QualifyLeadInput!) { qualifyLead(input: $input) { lead { id status qualification { unmetCriteria } } } }`, {
      input: {
        leadId,
        hasBudget: true,
        budget: { amount: '30000', currency: 'EUR' },
        isDecisionMaker: true,
        need: 'A CRM that forecasts',
        needConfirmed: true,
        expectedPurchaseDate: inDays(60),
      },
    }),
  ).qualifyLead.lead;
}

export async function convertLead(call: GraphQLCall, leadId: string): Promise<any> {
  return expectNoErrors(
    await call<any>(
      `mutation($input: ConvertLeadInput!) { convertLead(input: $input) { opportunity { id name version status stage { key } amount { amount currency } expectedCloseDate owner { id } lead { id } stageHistory { fromStage toStage } createdAt } } }`,
      { input: { leadId, expectedCloseDate: inDays(90) } },
    ),
  ).convertLead.opportunity;
}

export async function move(call: GraphQLCall, opportunityId: string, toStage: string, expectedVersion?: number) {
  return call<any>(`mutation($input: MoveOpportunityStageInput!) { moveOpportunityStage(input: $input) { opportunity { id version stage { key } status } } }`, {
    input: { opportunityId, toStage, expectedVersion },
  });
}

export async function sendProposal(call: GraphQLCall, opportunityId: string): Promise<void> {
  const created = expectNoErrors(
    await call<any>(`mutation($input: CreateProposalInput!) { createProposal(input: $input) { proposal { id } } }`, {
      input: { opportunityId, lineItems: [{ description: 'Licences', quantity: 5, unitPrice: { amount: '5000', currency: 'EUR' } }] },
    }),
  );
  expectNoErrors(
    await call(`mutation($input: SendProposalInput!) { sendProposal(input: $input) { proposal { status } } }`, {
      input: { proposalId: created.createProposal.proposal.id },
    }),
  );
}

export async function opportunityStage(call: GraphQLCall, opportunityId: string): Promise<{ stage: string; version: number; status: string }> {
  const data = expectNoErrors(await call<any>(`query($id: ID!) { opportunity(id: $id) { version status stage { key } } }`, { id: opportunityId }));
  return { stage: data.opportunity.stage.key, version: data.opportunity.version, status: data.opportunity.status };
}

// An opportunity in NEGOTIATION: converted from a qualified lead, moved to PROPOSAL, proposal sent.
export async function opportunityInNegotiation(call: GraphQLCall, ownerId: string): Promise<string> {
  const leadId = await createLead(call, ownerId);
  await qualifyLead(call, leadId);
  const opportunity = await convertLead(call, leadId);
  expectNoErrors(await move(call, opportunity.id, 'PROPOSAL'));
  await sendProposal(call, opportunity.id);
  // The PROPOSAL_SENT fact reaches the opportunity service by event; the gate opens once it has arrived.
  await waitFor(async () => !(await move(call, opportunity.id, 'NEGOTIATION')).errors, { what: 'the NEGOTIATION gate to open' });
  return opportunity.id;
}
