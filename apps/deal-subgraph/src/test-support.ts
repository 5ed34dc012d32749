import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { createCloudEvent, TOPICS, type EventDataMap, type EventType } from '@pipeline/events';
import { LOCAL_INTERNAL_SECRET } from '@pipeline/server-kit';
import { startTestService, testKafkaBrokers, waitFor, type TestService, waitForTopicLeaders } from '@pipeline/testing';
import { dealService } from './server';

// Shared arrangements for the deal subgraph's integration tests (real PostgreSQL and Kafka).
export const startDealService = (label: string): Promise<TestService> =>
  startTestService(label, dealService({ config: { internalSecret: LOCAL_INTERNAL_SECRET, production: false }, snapshotWaitMs: 5_000 }));

export async function publish<T extends EventType>(service: TestService, topic: string, type: T, subject: string, data: EventDataMap[T]): Promise<void> {
  const kafka = new Kafka({ clientId: 'fact-publisher', brokers: testKafkaBrokers().split(','), logLevel: logLevel.NOTHING });
  await waitForTopicLeaders(kafka, [`${service.topicPrefix}${topic}`]);
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: `${service.topicPrefix}${topic}`, messages: [{ key: subject, value: JSON.stringify(createCloudEvent({ type, source: '/test', subject, data })) }] });
  await producer.disconnect();
}

export async function publishRep(service: TestService, repId: string, teamId: string | null): Promise<void> {
  await publish(service, TOPICS.repEvents, 'sales.rep.registered.v1', repId, { repId, name: 'Rep', email: `${repId}@example.com`, role: 'REP', teamId, active: true, version: 1 });
}

export interface OpportunityArrangement {
  ownerId?: string | null;
  amount?: { amount: string; currency: string } | null;
  leadId?: string | null;
  stage?: string;
  category?: 'OPEN' | 'WON' | 'LOST';
  version?: number;
}

// The opportunity as the opportunity service announces it on the stage stream; waits until the deal service knows it.
export async function arrangeOpportunity(service: TestService, options: OpportunityArrangement = {}, opportunityId: string = randomUUID()): Promise<string> {
  const category = options.category ?? 'OPEN';
  await publish(service, TOPICS.stageChanged, 'sales.opportunity.stage_changed.v1', opportunityId, {
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
  });
  await waitFor(async () => {
    const rows = await service.service.dataSource.query('SELECT version FROM opportunity_snapshot WHERE id = $1', [opportunityId]);
    return rows[0]?.version >= (options.version ?? 1);
  }, { what: 'the opportunity snapshot' });
  return opportunityId;
}

export const DEAL_FIELDS = 'id outcome lostReason closedAt deferredUntil competitor version terms { discountPercent paymentTermsDays contractLengthMonths } pendingTerms { discountPercent } approvals { id status requestedPercent decidedBy } commitments { type contactName } proposals { version status total { amount currency } }';
