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
