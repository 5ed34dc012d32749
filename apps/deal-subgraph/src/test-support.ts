import { randomUUID } from 'node:crypto';

import { type EventDataMap, type EventType, TOPICS } from '@pipeline/events';
import { LOCAL_INTERNAL_SECRET } from '@pipeline/server-kit';
import { type Fact, publishFacts, startTestService, type TestService, waitFor } from '@pipeline/testing';
import type { Logger as TypeOrmLogger } from 'typeorm';

import { dealDeps, dealService, type DealServiceOptions } from './server';
import type { DealDeps } from './use-cases/deps';

// Shared arrangements for the deal subgraph's integration tests (real PostgreSQL and Kafka).
const TEST_OPTIONS = { config: { internalSecret: LOCAL_INTERNAL_SECRET, production: false }, settings: { snapshotWaitMs: 5_000 } };

export const startDealService = (label: string, options: Partial<DealServiceOptions> = {}, sqlLogger?: TypeOrmLogger): Promise<TestService> =>
  startTestService(label, dealService({ ...TEST_OPTIONS, ...options }), { sqlLogger });

// What the resolvers hand the use cases, for tests that call a use case directly (below GraphQL's own input validation).
export const dealDepsFor = (service: TestService): DealDeps => dealDeps(service.service.dataSource, TEST_OPTIONS);

// Another service's fact, published as that service would (same envelope, same topic, same key).
export async function publish<T extends EventType>(service: TestService, topic: string, type: T, subject: string, data: EventDataMap[T]): Promise<void> {
  await publishFacts(service.topicPrefix, [{ topic, type, subject, data } as Fact]);
}

// Waits until the deal service knows the rep: rep events travel on their own topic, unordered with opportunity events.
export async function publishRep(service: TestService, repId: string, teamId: string | null): Promise<void> {
  await publish(service, TOPICS.repEvents, 'sales.rep.registered.v1', repId, {
    repId,
    name: 'Rep',
    email: `${repId}@example.com`,
    role: 'REP',
    teamId,
    active: true,
    version: 1,
  });
  await waitFor(async () => (await service.service.dataSource.query('SELECT 1 FROM rep_snapshot WHERE id = $1', [repId])).length === 1, {
    what: 'the rep snapshot',
  });
}

// Holds the deal row's lock in a transaction of its own, to show which locks a use case takes while it waits for it.
export async function holdDealLock(service: TestService, opportunityId: string): Promise<{ waiters: () => Promise<number>; release: () => Promise<void> }> {
  const holder = service.service.dataSource.createQueryRunner();
  await holder.connect();
  await holder.startTransaction();
  await holder.query('SELECT id FROM deal WHERE opportunity_id = $1 FOR UPDATE', [opportunityId]);
  const [{ pid }] = await holder.query('SELECT pg_backend_pid() AS pid');
  return {
    waiters: async () =>
      (await service.service.dataSource.query('SELECT count(*)::int AS count FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [pid]))[0].count,
    release: async () => {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    },
  };
}

// 'FREE' when no other transaction holds the row's lock, else the PostgreSQL error code (55P03 lock_not_available).
export const rowLockState = (service: TestService, table: 'proposal' | 'discount_approval', id: string): Promise<string> =>
  service.service.dataSource.query(`SELECT id FROM ${table} WHERE id = $1 FOR UPDATE NOWAIT`, [id]).then(
    () => 'FREE',
    (error: { driverError?: { code?: string }; code?: string }) => error.driverError?.code ?? error.code ?? 'UNKNOWN',
  );

export interface OpportunityArrangement {
  ownerId?: string | null;
  amount?: { amount: string; currency: string } | null;
  leadId?: string | null;
  stage?: string;
  category?: 'OPEN' | 'WON' | 'LOST';
  version?: number;
}

// The stage-change fact the opportunity service would publish for this arrangement.
export function stageChangedData(opportunityId: string, options: OpportunityArrangement = {}): EventDataMap['sales.opportunity.stage_changed.v1'] {
  const category = options.category ?? 'OPEN';
  return {
    opportunityId,
    pipelineId: '00000000-0000-4000-8000-000000000001',
    fromStage: null,
    toStage: options.stage ?? 'NEGOTIATION',
    toStageCategory: category,
    changedAt: new Date().toISOString(),
    changedBy: null,
    reason: null,
    version: options.version ?? 1,
    previousStageEnteredAt: null,
    opportunity: {
      name: 'Platform rollout',
      accountName: 'Initech',
      industry: 'Software',
      amount: options.amount === undefined ? { amount: '50000.00', currency: 'EUR' } : options.amount,
      probability: 0.6,
      ownerId: options.ownerId ?? null,
      leadId: options.leadId ?? null,
      leadSource: null,
      expectedCloseDate: null,
      createdAt: new Date().toISOString(),
      status: category,
    },
  };
}

// The opportunity as the opportunity service announces it on the stage stream; waits until the deal service knows it.
export async function arrangeOpportunity(service: TestService, options: OpportunityArrangement = {}, opportunityId: string = randomUUID()): Promise<string> {
  await publish(service, TOPICS.stageChanged, 'sales.opportunity.stage_changed.v1', opportunityId, stageChangedData(opportunityId, options));
  await waitFor(
    async () => {
      const rows = await service.service.dataSource.query('SELECT version FROM opportunity_snapshot WHERE id = $1', [opportunityId]);
      return rows[0]?.version >= (options.version ?? 1);
    },
    { what: 'the opportunity snapshot' },
  );
  return opportunityId;
}

export const DEAL_FIELDS =
  'id outcome lostReason closedAt deferredUntil competitor version terms { discountPercent paymentTermsDays contractLengthMonths } pendingTerms { discountPercent } approvals { id status requestedPercent decidedBy } commitments { type contactName } proposals { version status total { amount currency } }';

// A lead's qualification as the lead service publishes it; the deal service keeps its name and stated need.
export function leadQualifiedData(leadId: string, version: number, lead: { name: string; need: string }): EventDataMap['sales.lead.qualified.v1'] {
  return {
    leadId,
    version,
    criteriaVersion: 1,
    qualifiedAt: new Date().toISOString(),
    lead: {
      name: lead.name,
      company: 'Initech',
      email: null,
      industry: null,
      region: null,
      source: 'INBOUND',
      sourceDetail: null,
      status: 'QUALIFIED',
      score: 50,
      ownerId: null,
      ownerTeamId: null,
      estimatedValue: null,
      need: lead.need,
      opportunityId: null,
      createdAt: new Date().toISOString(),
    },
  };
}
