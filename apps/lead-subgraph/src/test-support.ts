import { randomUUID } from 'node:crypto';

import { toIsoDate } from '@pipeline/domain';
import { LOCAL_INTERNAL_SECRET } from '@pipeline/server-kit';
import { expectNoErrors, type GraphQLCall, startTestService, type TestService, waitFor } from '@pipeline/testing';
import type { DataSource, Logger as TypeOrmLogger } from 'typeorm';

import { leadService } from './server';

// Shared arrangements for the lead subgraph's integration tests (real PostgreSQL and Kafka).
export const startLeadService = (label: string, options: { sqlLogger?: TypeOrmLogger } = {}): Promise<TestService> =>
  startTestService(
    label,
    leadService({ config: { internalSecret: LOCAL_INTERNAL_SECRET, production: false }, settings: { slaHours: 24 }, slaCheckIntervalMs: 0 }),
    options,
  );

export const LEAD_FIELDS = 'id status score owner { id } assignmentReason qualification { unmetCriteria criteriaVersion } opportunity { id } version';

export async function createRep(call: GraphQLCall, overrides: Record<string, unknown> = {}): Promise<string> {
  return expectNoErrors(
    await call<any>(`mutation($input: CreateSalesRepInput!) { createSalesRep(input: $input) { salesRep { id } } }`, {
      input: {
        name: `Rep ${randomUUID().slice(0, 6)}`,
        email: `${randomUUID()}@example.com`,
        role: 'REP',
        teamId: 'north',
        regions: [],
        industries: [],
        capacity: 20,
        ...overrides,
      },
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

export const inDays = (days: number): string => toIsoDate(new Date(Date.now() + days * 86_400_000));

export function qualify(call: GraphQLCall, leadId: string, overrides: Record<string, unknown> = {}) {
  return call<any>(`mutation($input: QualifyLeadInput!) { qualifyLead(input: $input) { lead { ${LEAD_FIELDS} } } }`, {
    input: { leadId, hasBudget: true, isDecisionMaker: true, needConfirmed: true, need: 'Pipeline visibility', expectedPurchaseDate: inDays(30), ...overrides },
  });
}

// An uncommitted lead holding an externalId: a concurrent writer's check cannot see it, so its insert waits on the unique index.
export async function holdExternalId(dataSource: DataSource, externalId: string) {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  await runner.query(
    `INSERT INTO lead (id, external_id, name, company, source, status, computed_score) VALUES ($1, $2, 'Held', 'Held Co', 'OTHER', 'NEW', 10)`,
    [randomUUID(), externalId],
  );
  return {
    // A duplicate key against an uncommitted row waits on that transaction's id.
    waitForBlockedWriter: () =>
      waitFor(
        async () => (await dataSource.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'transactionid'`)).length > 0,
        {
          what: 'a writer waiting on the held externalId',
        },
      ),
    // Safe to call again (from a finally block) once committed.
    async commit(): Promise<void> {
      if (runner.isReleased) return;
      await runner.commitTransaction();
      await runner.release();
    },
  };
}
