import { randomUUID } from 'node:crypto';
import { LOCAL_INTERNAL_SECRET } from '@pipeline/server-kit';
import { expectNoErrors, startTestService, type GraphQLCall, type TestService } from '@pipeline/testing';
import { leadService } from './server';

// Shared arrangements for the lead subgraph's integration tests (real PostgreSQL and Kafka).
export const startLeadService = (label: string): Promise<TestService> =>
  startTestService(label, leadService({ config: { internalSecret: LOCAL_INTERNAL_SECRET, production: false }, settings: { slaHours: 24 }, slaCheckIntervalMs: 0 }));

export const LEAD_FIELDS = 'id status score owner { id } assignmentReason qualification { unmetCriteria criteriaVersion } opportunity { id } version';

export async function createRep(call: GraphQLCall, overrides: Record<string, unknown> = {}): Promise<string> {
  return expectNoErrors(
    await call<any>(`mutation($input: CreateSalesRepInput!) { createSalesRep(input: $input) { salesRep { id } } }`, {
      input: { name: `Rep ${randomUUID().slice(0, 6)}`, email: `${randomUUID()}@example.com`, role: 'REP', teamId: 'north', regions: [], industries: [], capacity: 20, ...overrides },
    }),
  ).createSalesRep.salesRep.id;
}

export async function createLead(call: GraphQLCall, overrides: Record<string, unknown> = {}): Promise<any> {
  return expectNoErrors(
    await call<any>(`mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { ${LEAD_FIELDS} } } }`, {
      input: { name: `Person ${randomUUID().slice(0, 8)}`, company: `Company ${randomUUID().slice(0, 8)}`, source: 'INBOUND', ...overrides },
    }),
  ).createLead.lead;
}

export const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

export function qualify(call: GraphQLCall, leadId: string, overrides: Record<string, unknown> = {}) {
  return call<any>(`mutation($input: QualifyLeadInput!) { qualifyLead(input: $input) { lead { ${LEAD_FIELDS} } } }`, {
    input: { leadId, hasBudget: true, isDecisionMaker: true, needConfirmed: true, need: 'Pipeline visibility', expectedPurchaseDate: inDays(30), ...overrides },
  });
}
