import { randomUUID } from 'node:crypto';

import { expectNoErrors, type GraphQLCall } from '@pipeline/testing';

export async function createOpportunity(call: GraphQLCall, name = `Fault ${randomUUID().slice(0, 8)}`): Promise<string> {
  return expectNoErrors(
    await call<any>(`mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { opportunity { id } } }`, {
      input: { name, accountName: `${name} Ltd`, amount: { amount: '12000', currency: 'EUR' }, expectedCloseDate: '2027-06-30' },
    }),
  ).createOpportunity.opportunity.id;
}

export function move(call: GraphQLCall, opportunityId: string, toStage: string, expectedVersion?: number, reason?: string) {
  return call<any>(`mutation($input: MoveOpportunityStageInput!) { moveOpportunityStage(input: $input) { opportunity { version stage { key } } } }`, {
    input: { opportunityId, toStage, expectedVersion, reason },
  });
}

// A lead ready to convert: owned by a new rep and qualified on every criterion.
export async function createQualifiedLead(call: GraphQLCall): Promise<string> {
  const rep = expectNoErrors(
    await call<any>(`mutation($input: CreateSalesRepInput!) { createSalesRep(input: $input) { salesRep { id } } }`, {
      input: {
        name: 'Trace Rep',
        email: `rep-${randomUUID()}@example.com`,
        role: 'REP',
        teamId: 'team-faults',
        regions: ['DE'],
        industries: ['Software'],
        capacity: 50,
      },
    }),
  ).createSalesRep.salesRep.id;
  const leadId = expectNoErrors(
    await call<any>(`mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } } }`, {
      input: {
        name: 'Grace Buyer',
        company: `Company ${randomUUID()}`,
        source: 'REFERRAL',
        ownerId: rep,
        estimatedValue: { amount: '25000.00', currency: 'EUR' },
      },
    }),
  ).createLead.lead.id;
  expectNoErrors(
    await call<any>(`mutation($input: QualifyLeadInput!) { qualifyLead(input: $input) { lead { id } } }`, {
      input: {
        leadId,
        hasBudget: true,
        budget: { amount: '30000', currency: 'EUR' },
        isDecisionMaker: true,
        need: 'A CRM that forecasts',
        needConfirmed: true,
        expectedPurchaseDate: new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10),
      },
    }),
  );
  return leadId;
}
