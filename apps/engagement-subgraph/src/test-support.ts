import { randomUUID } from 'node:crypto';

import { type EventDataMap, TOPICS } from '@pipeline/events';
import { LOCAL_INTERNAL_SECRET } from '@pipeline/server-kit';
import { type Fact, publishFacts, startTestService, type TestService, waitFor } from '@pipeline/testing';
import type { Logger as TypeOrmLogger } from 'typeorm';

import { engagementService, type EngagementServiceOptions } from './server';

// Shared arrangements for the engagement subgraph's integration tests (real PostgreSQL and Kafka). Sweeps are run by
// hand (interval 0), so a test decides when "now" is looked at.
export const startEngagementService = (label: string, options: Partial<EngagementServiceOptions> = {}, sqlLogger?: TypeOrmLogger): Promise<TestService> =>
  startTestService(
    label,
    engagementService({
      config: { internalSecret: LOCAL_INTERNAL_SECRET, production: false },
      snapshotWaitMs: 5_000,
      sweepIntervalMs: 0,
      webhookIntervalMs: 0,
      ...options,
    }),
    { sqlLogger },
  );

export async function publish(service: TestService, facts: Fact[]): Promise<string[]> {
  return publishFacts(service.topicPrefix, facts);
}

const rowExists = async (service: TestService, sql: string, params: unknown[]) => (await service.service.dataSource.query(sql, params)).length > 0;

// A rep as the lead service announces them; waits until this service knows them.
export async function arrangeRep(service: TestService, teamId: string | null, role: 'REP' | 'MANAGER' = 'REP', repId: string = randomUUID()): Promise<string> {
  await publish(service, [
    {
      topic: TOPICS.repEvents,
      type: 'sales.rep.registered.v1',
      subject: repId,
      data: { repId, name: `${role} ${repId.slice(0, 4)}`, email: `${repId}@example.com`, role, teamId, active: true, version: 1 },
    },
  ]);
  await waitFor(() => rowExists(service, 'SELECT 1 FROM rep WHERE id = $1', [repId]), { what: 'the rep' });
  return repId;
}

export function stageChangedData(
  opportunityId: string,
  ownerId: string | null,
  options: { category?: 'OPEN' | 'WON' | 'LOST'; version?: number; stage?: string; changedAt?: string } = {},
): EventDataMap['sales.opportunity.stage_changed.v1'] {
  const category = options.category ?? 'OPEN';
  return {
    opportunityId,
    pipelineId: '00000000-0000-4000-8000-000000000001',
    fromStage: null,
    toStage: options.stage ?? 'DISCOVERY',
    toStageCategory: category,
    changedAt: options.changedAt ?? new Date().toISOString(),
    changedBy: null,
    reason: null,
    version: options.version ?? 1,
    previousStageEnteredAt: null,
    opportunity: {
      name: 'Platform rollout',
      accountName: 'Initech',
      industry: null,
      amount: { amount: '50000.00', currency: 'EUR' },
      probability: 0.2,
      ownerId,
      leadId: null,
      leadSource: null,
      expectedCloseDate: null,
      createdAt: new Date().toISOString(),
      status: category,
    },
  };
}

// The opportunity as the opportunity service announces it on the stage stream; waits until this service knows it.
export async function arrangeOpportunity(
  service: TestService,
  ownerId: string | null,
  options: Parameters<typeof stageChangedData>[2] = {},
  opportunityId: string = randomUUID(),
): Promise<string> {
  await publish(service, [
    { topic: TOPICS.stageChanged, type: 'sales.opportunity.stage_changed.v1', subject: opportunityId, data: stageChangedData(opportunityId, ownerId, options) },
  ]);
  await waitFor(
    async () =>
      (await service.service.dataSource.query('SELECT version FROM opportunity_snapshot WHERE id = $1', [opportunityId]))[0]?.version >= (options.version ?? 1),
    { what: 'the opportunity' },
  );
  return opportunityId;
}

export function leadAssignedData(
  leadId: string,
  ownerId: string | null,
  options: { previousOwnerId?: string | null; assignedBy?: string | null; reason?: string; version?: number } = {},
): EventDataMap['sales.lead.assigned.v1'] {
  return {
    leadId,
    version: options.version ?? 2,
    ownerId,
    previousOwnerId: options.previousOwnerId ?? null,
    reason: options.reason ?? 'Assigned by hand',
    assignedBy: options.assignedBy === undefined ? randomUUID() : options.assignedBy,
    lead: {
      name: 'Ada Lovelace',
      company: 'Analytical Engines',
      email: 'ada@example.com',
      industry: null,
      region: null,
      source: 'INBOUND',
      sourceDetail: null,
      status: 'WORKING',
      score: 50,
      ownerId,
      ownerTeamId: null,
      estimatedValue: null,
      need: null,
      opportunityId: null,
      createdAt: new Date().toISOString(),
    },
  };
}

export async function arrangeLead(service: TestService, ownerId: string | null, leadId: string = randomUUID()): Promise<string> {
  await publish(service, [
    { topic: TOPICS.leadEvents, type: 'sales.lead.assigned.v1', subject: leadId, data: leadAssignedData(leadId, ownerId, { assignedBy: ownerId }) },
  ]);
  await waitFor(() => rowExists(service, 'SELECT 1 FROM lead_snapshot WHERE id = $1', [leadId]), { what: 'the lead' });
  return leadId;
}

export const TASK_FIELDS = 'id title dueAt assigneeId status overdue version completedAt cancelReason lead { id } opportunity { id }';
