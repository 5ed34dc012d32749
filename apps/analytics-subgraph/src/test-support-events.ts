import { randomUUID } from 'node:crypto';
import { createCloudEvent, TOPICS } from '@pipeline/events';
import type { Published } from './test-support';
import { PIPELINE_ID } from './test-support';

// Small hand-made histories for specs whose answer is worked out by hand (test-support has the large seeded one).
export function repRegistered(repId: string, teamId: string | null, index: number): Published {
  const data = { repId, name: `Rep ${index}`, email: `rep${index}-${repId.slice(0, 8)}@example.com`, role: 'REP' as const, teamId, active: true, version: 1 };
  return { topic: TOPICS.repEvents, key: repId, event: createCloudEvent({ type: 'sales.rep.registered.v1', source: '/test/hand-made', subject: repId, data, time: new Date('2026-01-01') }) as Published['event'] };
}

export interface HandMadeOpportunity {
  ownerId: string;
  amount: string;
  currency: string;
  createdAt: string;
  // Won at this instant; open when absent.
  wonAt?: string;
  expectedCloseDate?: string;
}

// Creation in QUALIFICATION and, when won, the move to CLOSED_WON: the stage events analytics builds its facts from.
export function opportunityEvents(opportunity: HandMadeOpportunity): Published[] {
  const id = randomUUID();
  const snapshot = (status: 'OPEN' | 'WON', probability: number) => ({
    name: `Opportunity ${id.slice(0, 8)}`,
    accountName: 'Account',
    industry: 'Software',
    amount: { amount: opportunity.amount, currency: opportunity.currency },
    probability,
    ownerId: opportunity.ownerId,
    leadId: null,
    leadSource: 'REFERRAL' as const,
    expectedCloseDate: opportunity.expectedCloseDate ?? null,
    createdAt: opportunity.createdAt,
    status,
  });
  const event = (data: object, time: string): Published => ({
    topic: TOPICS.stageChanged,
    key: id,
    event: createCloudEvent({ type: 'sales.opportunity.stage_changed.v1', source: '/test/hand-made', subject: id, data: data as never, time: new Date(time) }) as Published['event'],
  });
  const created = event(
    { opportunityId: id, pipelineId: PIPELINE_ID, fromStage: null, toStage: 'QUALIFICATION', toStageCategory: 'OPEN', changedAt: opportunity.createdAt, changedBy: opportunity.ownerId,
      reason: null, version: 1, previousStageEnteredAt: null, opportunity: snapshot('OPEN', 0.1), toStagePosition: 1, stageSequence: 1 },
    opportunity.createdAt,
  );
  if (!opportunity.wonAt) return [created];
  const won = event(
    { opportunityId: id, pipelineId: PIPELINE_ID, fromStage: 'QUALIFICATION', toStage: 'CLOSED_WON', toStageCategory: 'WON', changedAt: opportunity.wonAt, changedBy: opportunity.ownerId,
      reason: null, version: 2, previousStageEnteredAt: opportunity.createdAt, opportunity: snapshot('WON', 1), toStagePosition: 4, fromStagePosition: 1, stageSequence: 2 },
    opportunity.wonAt,
  );
  return [created, won];
}
