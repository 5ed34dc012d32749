import type { Money } from '@pipeline/domain';
import { Dec } from '@pipeline/domain';

export interface StageCriterion {
  key: string;
  description: string;
}

// Facts the deal service publishes about an opportunity's deal; gates read them, only events write them.
export interface DealFacts {
  proposalSent: boolean;
  negotiationStarted: boolean;
  outcome: 'WON' | 'LOST' | 'DEFERRED' | null;
  lostReason: string | null;
}

export const NO_DEAL_FACTS: DealFacts = { proposalSent: false, negotiationStarted: false, outcome: null, lostReason: null };

export interface CriterionContext {
  amount: Money | null;
  expectedCloseDate: string | null;
  ownerId: string | null;
  activityCount: number;
  facts: DealFacts;
  // The reason given with the move (a lost reason when moving to a LOST stage).
  reason: string | null;
}

interface CriterionDefinition extends StageCriterion {
  met: (context: CriterionContext) => boolean;
}

// The declarative catalogue: stages name these keys; every writer is checked against the same functions.
export const CRITERIA: readonly CriterionDefinition[] = [
  { key: 'AMOUNT_SET', description: 'The opportunity has an amount above zero', met: (c) => c.amount !== null && new Dec(c.amount.amount).greaterThan(0) },
  { key: 'CLOSE_DATE_SET', description: 'The expected close date is set', met: (c) => c.expectedCloseDate !== null },
  { key: 'OWNER_SET', description: 'A sales rep owns the opportunity', met: (c) => c.ownerId !== null },
  { key: 'ACTIVITY_LOGGED', description: 'At least one call, email, meeting, task or note is logged', met: (c) => c.activityCount > 0 },
  { key: 'PROPOSAL_SENT', description: 'A proposal was sent to the prospect', met: (c) => c.facts.proposalSent },
  { key: 'NEGOTIATION_STARTED', description: 'Deal terms were proposed', met: (c) => c.facts.negotiationStarted },
  { key: 'DEAL_WON', description: 'The deal was closed as won', met: (c) => c.facts.outcome === 'WON' },
  {
    key: 'LOST_REASON_SET',
    description: 'A lost reason is recorded',
    met: (c) => (c.reason !== null && c.reason.trim() !== '') || c.facts.lostReason !== null,
  },
];

export const criterionKeys = (): string[] => CRITERIA.map((criterion) => criterion.key);

export function describeCriteria(keys: readonly string[]): StageCriterion[] {
  return keys.map((key) => {
    const definition = CRITERIA.find((criterion) => criterion.key === key);
    return { key, description: definition?.description ?? key };
  });
}

export function unmetCriteria(keys: readonly string[], context: CriterionContext): string[] {
  return keys.filter((key) => {
    const definition = CRITERIA.find((criterion) => criterion.key === key);
    return !definition || !definition.met(context);
  });
}
