import { createCloudEvent, EVENT_TYPES, type OpportunitySnapshot, type OpportunityUpdatedData, TOPICS } from '@pipeline/events';
import type { OutboxEntry } from '@pipeline/persistence';

import type { Activity, Opportunity } from '../domain/opportunity';
import { probabilityOf } from '../domain/opportunity';
import { type Pipeline, type Stage, stageOf } from '../domain/pipeline';

export const SOURCE = '/sales/opportunity-subgraph';

export function opportunitySnapshot(opportunity: Opportunity, stage: Stage): OpportunitySnapshot {
  return {
    name: opportunity.name,
    accountName: opportunity.accountName,
    industry: opportunity.industry,
    amount: opportunity.amount,
    probability: probabilityOf(opportunity, stage),
    ownerId: opportunity.ownerId,
    leadId: opportunity.leadId,
    leadSource: opportunity.leadSource,
    expectedCloseDate: opportunity.expectedCloseDate,
    createdAt: opportunity.createdAt.toISOString(),
    status: opportunity.status,
    ownerTeamId: opportunity.ownerTeamId,
    region: opportunity.region,
    archived: opportunity.archivedAt !== null,
    accountId: opportunity.accountId,
  };
}

const stageFor = (pipeline: Pipeline, key: string): Stage => {
  const stage = stageOf(pipeline, key);
  if (!stage) throw new Error(`Stage ${key} is not in pipeline ${pipeline.id}`);
  return stage;
};

export interface StageChange {
  fromStage: string | null;
  previousStageEnteredAt: Date | null;
  changedBy: string | null;
  reason: string | null;
}

// The analysts' stream: one event per stage change, keyed by opportunity id, exactly as contract/events.md specifies.
export function stageChangedEvent(opportunity: Opportunity, pipeline: Pipeline, change: StageChange): OutboxEntry {
  const stage = stageFor(pipeline, opportunity.stageKey);
  const from = change.fromStage ? stageOf(pipeline, change.fromStage) : undefined;
  return {
    topic: TOPICS.stageChanged,
    aggregateType: 'opportunity',
    event: createCloudEvent({
      type: EVENT_TYPES.stageChanged,
      source: SOURCE,
      subject: opportunity.id,
      time: opportunity.stageEnteredAt,
      data: {
        opportunityId: opportunity.id,
        pipelineId: opportunity.pipelineId,
        fromStage: change.fromStage,
        toStage: stage.key,
        toStageCategory: stage.category,
        changedAt: opportunity.stageEnteredAt.toISOString(),
        changedBy: change.changedBy,
        reason: change.reason,
        version: opportunity.version,
        previousStageEnteredAt: change.previousStageEnteredAt?.toISOString() ?? null,
        opportunity: opportunitySnapshot(opportunity, stage),
        toStagePosition: stage.position,
        fromStagePosition: from?.position ?? null,
        stageSequence: opportunity.stageSequence,
      },
    }),
  };
}

// Snapshot fields whose earlier value an opportunity.updated event carries.
const TRACKED_FIELDS = ['name', 'accountName', 'industry', 'region', 'amount', 'probability', 'ownerId', 'ownerTeamId', 'expectedCloseDate', 'status'] as const;

// The earlier value of every tracked snapshot field that differs between the two versions.
export function previousValues(before: OpportunitySnapshot, after: OpportunitySnapshot): NonNullable<OpportunityUpdatedData['previous']> {
  const previous: Record<string, unknown> = {};
  for (const field of TRACKED_FIELDS)
    if (JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null)) previous[field] = before[field] ?? null;
  return previous as NonNullable<OpportunityUpdatedData['previous']>;
}

export interface UpdateContext {
  // The opportunity as it was before the change (its stage in the same pipeline gives its probability then).
  before: Opportunity;
  changedBy: string | null;
}

export function opportunityStateEvent(
  type: typeof EVENT_TYPES.opportunityCreated | typeof EVENT_TYPES.opportunityUpdated,
  opportunity: Opportunity,
  pipeline: Pipeline,
  changes: string[],
  time: Date,
  update?: UpdateContext,
): OutboxEntry {
  const stage = stageFor(pipeline, opportunity.stageKey);
  const base = {
    opportunityId: opportunity.id,
    version: opportunity.version,
    pipelineId: opportunity.pipelineId,
    stage: stage.key,
    stageCategory: stage.category,
    opportunity: opportunitySnapshot(opportunity, stage),
  };
  const history = update
    ? {
        previous: previousValues(opportunitySnapshot(update.before, stageOf(pipeline, update.before.stageKey) ?? stage), base.opportunity),
        changedBy: update.changedBy,
      }
    : {};
  return {
    topic: TOPICS.opportunityEvents,
    aggregateType: 'opportunity',
    event:
      type === EVENT_TYPES.opportunityCreated
        ? createCloudEvent({ type, source: SOURCE, subject: opportunity.id, time, data: base })
        : createCloudEvent({ type, source: SOURCE, subject: opportunity.id, time, data: { ...base, changes, ...history } }),
  };
}

export function activityLoggedEvent(activity: Activity, time: Date): OutboxEntry {
  return {
    topic: TOPICS.opportunityEvents,
    aggregateType: 'opportunity',
    event: createCloudEvent({
      type: EVENT_TYPES.activityLogged,
      source: SOURCE,
      subject: activity.opportunityId,
      time,
      data: {
        opportunityId: activity.opportunityId,
        activityId: activity.id,
        type: activity.type,
        subject: activity.subject,
        occurredAt: activity.occurredAt.toISOString(),
        ownerId: activity.ownerId,
      },
    }),
  };
}

function stateOf(opportunity: Opportunity, pipeline: Pipeline) {
  const stage = stageOf(pipeline, opportunity.stageKey);
  if (!stage) throw new Error(`Stage ${opportunity.stageKey} is not in pipeline ${pipeline.id}`);
  return {
    opportunityId: opportunity.id,
    version: opportunity.version,
    pipelineId: opportunity.pipelineId,
    stage: stage.key,
    stageCategory: stage.category,
    opportunity: opportunitySnapshot(opportunity, stage),
  };
}

export function archivedEvent(opportunity: Opportunity, pipeline: Pipeline, archivedBy: string, time: Date): OutboxEntry {
  const data = { ...stateOf(opportunity, pipeline), reason: opportunity.archivedReason, archivedBy, archivedAt: time.toISOString() };
  return {
    topic: TOPICS.opportunityEvents,
    aggregateType: 'opportunity',
    event: createCloudEvent({ type: EVENT_TYPES.opportunityArchived, source: SOURCE, subject: opportunity.id, time, data }),
  };
}

export function restoredEvent(opportunity: Opportunity, pipeline: Pipeline, restoredBy: string, time: Date): OutboxEntry {
  const data = { ...stateOf(opportunity, pipeline), restoredBy };
  return {
    topic: TOPICS.opportunityEvents,
    aggregateType: 'opportunity',
    event: createCloudEvent({ type: EVENT_TYPES.opportunityRestored, source: SOURCE, subject: opportunity.id, time, data }),
  };
}
