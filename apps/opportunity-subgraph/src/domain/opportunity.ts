import { type ActivityType, type LeadSource, type Money, type OpportunityStatus, toIsoDate } from '@pipeline/domain';

import type { Stage } from './pipeline';

export interface Opportunity {
  id: string;
  name: string;
  // Mirrors the account's name ('' when there is no account), as the contract's accountName.
  accountName: string;
  accountId: string | null;
  industry: string | null;
  region: string | null;
  amount: Money | null;
  pipelineId: string;
  stageKey: string;
  stageEnteredAt: Date;
  status: OpportunityStatus;
  probabilityOverride: number | null;
  expectedCloseDate: string | null;
  ownerId: string | null;
  // The owner's team from the rep snapshot, read with the row for visibility.
  ownerTeamId: string | null;
  leadId: string | null;
  leadSource: LeadSource | null;
  externalId: string | null;
  deferredUntil: string | null;
  // Set while archived: out of lists, the board and KPIs, every field kept, restorable.
  archivedAt: Date | null;
  archivedReason: string | null;
  lostReason: string | null;
  version: number;
  // Counts stage changes only, so a reader of the stage stream can tell a gap.
  stageSequence: number;
  lastActivityAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

export interface StageTransition {
  opportunityId: string;
  fromStage: string | null;
  toStage: string;
  changedAt: Date;
  changedBy: string | null;
  reason: string | null;
  timeInPreviousStageSeconds: number | null;
  version: number;
}

export interface Activity {
  id: string;
  opportunityId: string;
  type: ActivityType;
  subject: string;
  notes: string | null;
  occurredAt: Date;
  ownerId: string | null;
}

export const probabilityOf = (opportunity: Pick<Opportunity, 'probabilityOverride'>, stage: Pick<Stage, 'probability'>): number =>
  opportunity.probabilityOverride ?? stage.probability;

export const daysInStage = (opportunity: Pick<Opportunity, 'stageEnteredAt' | 'closedAt'>, now: Date): number =>
  ((opportunity.closedAt ?? now).getTime() - opportunity.stageEnteredAt.getTime()) / 86_400_000;

// Stalled: open, not deferred, longer in its stage than the stage allows and not worked (no activity) for as long.
export function isStalled(
  opportunity: Pick<Opportunity, 'status' | 'stageEnteredAt' | 'closedAt' | 'deferredUntil' | 'lastActivityAt'>,
  stage: Pick<Stage, 'stalledAfterDays'>,
  now: Date,
): boolean {
  if (opportunity.status !== 'OPEN' || stage.stalledAfterDays === null) return false;
  if (opportunity.deferredUntil !== null && opportunity.deferredUntil > toIsoDate(now)) return false;
  const quietDays = opportunity.lastActivityAt ? (now.getTime() - opportunity.lastActivityAt.getTime()) / 86_400_000 : Number.POSITIVE_INFINITY;
  return daysInStage(opportunity, now) > stage.stalledAfterDays && quietDays > stage.stalledAfterDays;
}
