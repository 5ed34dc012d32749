import { createCloudEvent, EVENT_TYPES, TOPICS } from '@pipeline/events';
import type { OutboxEntry } from '@pipeline/persistence';

import type { QualificationCriteria } from '../domain/qualification';
import { SOURCE } from './lead-events';

// Process changes as facts, so analytics can compare the cohorts before and after them. Keyed by what changed.
export function qualificationCriteriaChangedEvent(criteria: QualificationCriteria): OutboxEntry {
  return {
    topic: TOPICS.leadEvents,
    aggregateType: 'process',
    event: createCloudEvent({
      type: EVENT_TYPES.qualificationCriteriaChanged,
      source: SOURCE,
      subject: 'qualification-criteria',
      time: criteria.createdAt,
      data: {
        version: criteria.version,
        changedAt: criteria.createdAt.toISOString(),
        changedBy: criteria.createdBy,
        minimumBudget: criteria.minimumBudget,
        maxPurchaseHorizonDays: criteria.maxPurchaseHorizonDays,
        requireDecisionMaker: criteria.requireDecisionMaker,
        requireConfirmedNeed: criteria.requireConfirmedNeed,
      },
    }),
  };
}

export function scoringModelActivatedEvent(
  model: { version: number; trainingSize: number; brierScore: number | null },
  activatedBy: string | null,
  at: Date,
): OutboxEntry {
  return {
    topic: TOPICS.leadEvents,
    aggregateType: 'process',
    event: createCloudEvent({
      type: EVENT_TYPES.scoringModelActivated,
      source: SOURCE,
      subject: 'scoring-model',
      time: at,
      data: { version: model.version, activatedAt: at.toISOString(), activatedBy, trainingSize: model.trainingSize, brierScore: model.brierScore },
    }),
  };
}
