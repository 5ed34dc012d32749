import type { PersonToRecognise } from '@pipeline/domain';
import type { OutboxEntry } from '@pipeline/persistence';
import type { EntityManager } from 'typeorm';

import type { DealFacts } from '../../domain/criteria';
import type { Opportunity, StageTransition } from '../../domain/opportunity';
import type { Pipeline } from '../../domain/pipeline';
import { planMove } from '../../domain/stage-rules';
import { stageChangedEvent } from '../../events/opportunity-events';
import { redactLeadPersonInEntries } from '../../persistence/lead-person-text';
import { activityCount } from '../../persistence/opportunity-repository';
import { dealFacts } from '../../persistence/snapshot-repository';
import { writeStageMove } from '../../persistence/stage-move-sql';

export interface MoveRequest {
  toStage: string;
  changedBy: string | null;
  reason: string | null;
  at: Date;
  allowReopen?: boolean;
  // What the caller already holds in this transaction (a just-imported opportunity, automation's recorded facts):
  // given, they are not read again.
  known?: { facts?: DealFacts; activityCount?: number; leadPeople?: ReadonlyMap<string, PersonToRecognise[]> };
}

export interface PlannedMove {
  next: Opportunity;
  transition: StageTransition;
  event: OutboxEntry;
}

// The rule book of a stage change without I/O: gates, the next state, its history entry and its event (import plans many).
export function planStageMove(
  opportunity: Opportunity,
  pipeline: Pipeline,
  request: Omit<MoveRequest, 'known'>,
  facts: DealFacts,
  activities: number,
): PlannedMove {
  const context = {
    amount: opportunity.amount,
    expectedCloseDate: opportunity.expectedCloseDate,
    ownerId: opportunity.ownerId,
    activityCount: activities,
    facts,
    reason: request.reason,
  };
  const plan = planMove(pipeline, opportunity, request.toStage, context, { allowReopen: request.allowReopen });
  const closing = plan.to.category !== 'OPEN';
  const next: Opportunity = {
    ...opportunity,
    stageKey: plan.to.key,
    stageEnteredAt: request.at,
    status: plan.status,
    closedAt: closing ? request.at : null,
    lostReason: plan.to.category === 'LOST' ? (request.reason ?? facts.lostReason) : plan.direction === 'REOPEN' ? null : opportunity.lostReason,
    deferredUntil: closing ? null : opportunity.deferredUntil,
    version: opportunity.version + 1,
    stageSequence: opportunity.stageSequence + 1,
    updatedAt: new Date(),
  };
  const transition: StageTransition = {
    opportunityId: opportunity.id,
    fromStage: opportunity.stageKey,
    toStage: next.stageKey,
    changedAt: request.at,
    changedBy: request.changedBy,
    reason: request.reason,
    timeInPreviousStageSeconds: Math.max(0, Math.round((request.at.getTime() - opportunity.stageEnteredAt.getTime()) / 1000)),
    version: next.version,
  };
  const event = stageChangedEvent(next, pipeline, {
    fromStage: opportunity.stageKey,
    previousStageEnteredAt: opportunity.stageEnteredAt,
    changedBy: request.changedBy,
    reason: request.reason,
  });
  return { next, transition, event };
}

// The single write path for stage changes (API, automation, closing, import): gates, history, version, event.
export async function moveStage(manager: EntityManager, opportunity: Opportunity, pipeline: Pipeline, request: MoveRequest): Promise<Opportunity> {
  const facts = request.known?.facts ?? (await dealFacts(manager, opportunity.id));
  const activities = request.known?.activityCount ?? (await activityCount(manager, opportunity.id));
  const { next, transition, event } = planStageMove(opportunity, pipeline, request, facts, activities);
  await writeStageMove(manager, next, opportunity.version, transition, await redactLeadPersonInEntries(manager, [event], request.known?.leadPeople));
  return next;
}
