import { randomUUID } from 'node:crypto';

import { createCloudEvent, TOPICS } from '@pipeline/events';

import type { Published } from './test-support';
import { PIPELINE_ID } from './test-support';

// Small hand-made histories for specs whose answer is worked out by hand (test-support has the large seeded one).
export function repRegistered(repId: string, teamId: string | null, index: number): Published {
  const data = { repId, name: `Rep ${index}`, email: `rep${index}-${repId.slice(0, 8)}@example.com`, role: 'REP' as const, teamId, active: true, version: 1 };
  return {
    topic: TOPICS.repEvents,
    key: repId,
    event: createCloudEvent({
      type: 'sales.rep.registered.v1',
      source: '/test/hand-made',
      subject: repId,
      data,
      time: new Date('2026-01-01'),
    }) as Published['event'],
  };
}

export interface HandMadeOpportunity {
  id?: string;
  ownerId: string;
  accountName?: string;
  amount: string;
  currency: string;
  createdAt: string;
  // Won at this instant; open when absent (a shorthand for a last move to CLOSED_WON).
  wonAt?: string;
  // Moves after creation, oldest first.
  // Moves after creation, oldest first; version defaults to the move's place (updates in between take versions too).
  moves?: Array<{ toStage: StageKey; at: string; reason?: string; version?: number; amount?: string }>;
  expectedCloseDate?: string;
  industry?: string;
}

type StageKey = 'QUALIFICATION' | 'PROPOSAL' | 'NEGOTIATION' | 'CLOSED_WON' | 'CLOSED_LOST';
const STAGES: Record<StageKey, { position: number; category: 'OPEN' | 'WON' | 'LOST'; probability: number }> = {
  QUALIFICATION: { position: 1, category: 'OPEN', probability: 0.1 },
  PROPOSAL: { position: 2, category: 'OPEN', probability: 0.4 },
  NEGOTIATION: { position: 3, category: 'OPEN', probability: 0.6 },
  CLOSED_WON: { position: 4, category: 'WON', probability: 1 },
  CLOSED_LOST: { position: 5, category: 'LOST', probability: 0 },
};

// Creation in QUALIFICATION and each later move: the stage events analytics builds its facts from.
export function opportunityEvents(opportunity: HandMadeOpportunity): Published[] {
  const id = opportunity.id ?? randomUUID();
  const snapshot = (stage: StageKey, amount = opportunity.amount) => ({
    name: `Opportunity ${id.slice(0, 8)}`,
    accountName: opportunity.accountName ?? 'Account',
    industry: opportunity.industry ?? 'Software',
    amount: { amount, currency: opportunity.currency },
    probability: STAGES[stage].probability,
    ownerId: opportunity.ownerId,
    leadId: null,
    leadSource: 'REFERRAL' as const,
    expectedCloseDate: opportunity.expectedCloseDate ?? null,
    createdAt: opportunity.createdAt,
    status: STAGES[stage].category,
  });
  const moves = [
    {
      toStage: 'QUALIFICATION' as StageKey,
      at: opportunity.createdAt,
      reason: undefined as string | undefined,
      version: undefined as number | undefined,
      amount: undefined as string | undefined,
    },
    ...(opportunity.moves ?? []),
  ];
  if (opportunity.wonAt) moves.push({ toStage: 'CLOSED_WON', at: opportunity.wonAt, reason: undefined, version: undefined, amount: undefined });
  return moves.map((move, index) => {
    const previous = index === 0 ? null : moves[index - 1];
    const data = {
      opportunityId: id,
      pipelineId: PIPELINE_ID,
      fromStage: previous?.toStage ?? null,
      toStage: move.toStage,
      toStageCategory: STAGES[move.toStage].category,
      changedAt: move.at,
      changedBy: opportunity.ownerId,
      reason: move.reason ?? null,
      version: move.version ?? index + 1,
      previousStageEnteredAt: previous?.at ?? null,
      opportunity: snapshot(move.toStage, move.amount),
      toStagePosition: STAGES[move.toStage].position,
      ...(previous ? { fromStagePosition: STAGES[previous.toStage].position } : {}),
      stageSequence: index + 1,
    };
    return {
      topic: TOPICS.stageChanged,
      key: id,
      event: createCloudEvent({
        type: 'sales.opportunity.stage_changed.v1',
        source: '/test/hand-made',
        subject: id,
        data,
        time: new Date(move.at),
      }) as Published['event'],
    };
  });
}

export function stageMoveRefused(
  opportunityId: string,
  ownerId: string,
  fromStage: string,
  toStage: string,
  unmetCriteria: string[],
  refusedAt: string,
  version: number,
): Published {
  const data = { opportunityId, pipelineId: PIPELINE_ID, fromStage, toStage, unmetCriteria, refusedAt, refusedBy: ownerId, ownerId, version };
  return {
    topic: TOPICS.opportunityEvents,
    key: opportunityId,
    event: createCloudEvent({
      type: 'sales.opportunity.stage_move_refused.v1',
      source: '/test/hand-made',
      subject: opportunityId,
      data,
      time: new Date(refusedAt),
    }) as Published['event'],
  };
}

export function activityLogged(opportunityId: string, ownerId: string, type: 'CALL' | 'EMAIL' | 'MEETING' | 'TASK' | 'NOTE', occurredAt: string): Published {
  const activityId = randomUUID();
  const data = { opportunityId, activityId, type, subject: `${type.toLowerCase()} ${activityId.slice(0, 8)}`, occurredAt, ownerId };
  return {
    topic: TOPICS.opportunityEvents,
    key: opportunityId,
    event: createCloudEvent({
      type: 'sales.opportunity.activity_logged.v1',
      source: '/test/hand-made',
      subject: opportunityId,
      data,
      time: new Date(occurredAt),
    }) as Published['event'],
  };
}

// An update of amount (and optionally close date) with no stage change, as the opportunity service publishes it.
export function opportunityUpdated(
  opportunityId: string,
  ownerId: string,
  version: number,
  stage: StageKey,
  amount: { amount: string; currency: string },
  at: string,
  createdAt: string,
): Published {
  const data = {
    opportunityId,
    version,
    pipelineId: PIPELINE_ID,
    stage,
    stageCategory: STAGES[stage].category,
    opportunity: {
      name: `Opportunity ${opportunityId.slice(0, 8)}`,
      accountName: 'Account',
      industry: 'Software',
      amount,
      probability: STAGES[stage].probability,
      ownerId,
      leadId: null,
      leadSource: 'REFERRAL' as const,
      expectedCloseDate: null,
      createdAt,
      status: STAGES[stage].category,
    },
    changes: ['amount'],
  };
  return {
    topic: TOPICS.opportunityEvents,
    key: opportunityId,
    event: createCloudEvent({
      type: 'sales.opportunity.updated.v1',
      source: '/test/hand-made',
      subject: opportunityId,
      data,
      time: new Date(at),
    }) as Published['event'],
  };
}

// A lead created at an instant and, if asked, converted a day later.
export function leadEvents(ownerId: string, createdAt: string, converted: boolean): Published[] {
  const leadId = randomUUID();
  const lead = (status: 'NEW' | 'CONVERTED') => ({
    name: `Lead ${leadId.slice(0, 8)}`,
    company: 'Co',
    email: null,
    industry: null,
    region: null,
    source: 'REFERRAL' as const,
    sourceDetail: null,
    status,
    score: 50,
    ownerId,
    ownerTeamId: null,
    estimatedValue: null,
    need: null,
    opportunityId: null,
    createdAt,
  });
  const at = new Date(createdAt);
  const created: Published = {
    topic: TOPICS.leadEvents,
    key: leadId,
    event: createCloudEvent({
      type: 'sales.lead.created.v1',
      source: '/test/hand-made',
      subject: leadId,
      data: { leadId, version: 1, lead: lead('NEW') },
      time: at,
    }) as Published['event'],
  };
  if (!converted) return [created];
  const convertedAt = new Date(at.getTime() + 86_400_000).toISOString();
  const data = { leadId, version: 2, lead: lead('CONVERTED'), opportunityId: randomUUID(), convertedAt };
  return [
    created,
    {
      topic: TOPICS.leadEvents,
      key: leadId,
      event: createCloudEvent({
        type: 'sales.lead.converted.v1',
        source: '/test/hand-made',
        subject: leadId,
        data,
        time: new Date(convertedAt),
      }) as Published['event'],
    },
  ];
}

export function criteriaChanged(version: number, changedAt: string): Published {
  const data = { version, changedAt, changedBy: null, minimumBudget: null, maxPurchaseHorizonDays: 90, requireDecisionMaker: true, requireConfirmedNeed: true };
  return {
    topic: TOPICS.leadEvents,
    key: 'qualification-criteria',
    event: createCloudEvent({
      type: 'sales.qualification.criteria_changed.v1',
      source: '/test/hand-made',
      subject: 'qualification-criteria',
      data,
      time: new Date(changedAt),
    }) as Published['event'],
  };
}

export function pipelineRevised(pipelineId: string, version: number, revisedAt: string): Published {
  const data = {
    pipelineId,
    name: 'Sales',
    version,
    revisedAt,
    revisedBy: null,
    stages: [{ key: 'QUALIFICATION', position: 1, category: 'OPEN' as const, probability: 0.1, entryCriteria: [], exitCriteria: [], active: true }],
  };
  return {
    topic: TOPICS.opportunityEvents,
    key: pipelineId,
    event: createCloudEvent({
      type: 'sales.pipeline.revised.v1',
      source: '/test/hand-made',
      subject: pipelineId,
      data,
      time: new Date(revisedAt),
    }) as Published['event'],
  };
}

export function objectionRecorded(opportunityId: string, category: string, at: string): Published {
  const data = { opportunityId, dealId: randomUUID(), occurredAt: at, actorId: null, objectionId: randomUUID(), category };
  return {
    topic: TOPICS.dealEvents,
    key: opportunityId,
    event: createCloudEvent({
      type: 'sales.deal.objection_recorded.v1',
      source: '/test/hand-made',
      subject: opportunityId,
      data: data as never,
      time: new Date(at),
    }) as Published['event'],
  };
}

export function dealLost(
  opportunityId: string,
  lostReason: 'PRICE' | 'COMPETITOR' | 'NO_DECISION' | 'TIMING' | 'PRODUCT_FIT' | 'OTHER',
  at: string,
): Published {
  const data = {
    opportunityId,
    dealId: randomUUID(),
    occurredAt: at,
    actorId: null,
    outcome: 'LOST' as const,
    lostReason,
    closeNote: null,
    closedAt: at,
    deferredUntil: null,
  };
  return {
    topic: TOPICS.dealEvents,
    key: opportunityId,
    event: createCloudEvent({
      type: 'sales.deal.closed.v1',
      source: '/test/hand-made',
      subject: opportunityId,
      data,
      time: new Date(at),
    }) as Published['event'],
  };
}
