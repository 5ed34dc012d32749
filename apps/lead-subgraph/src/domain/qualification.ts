import { addDays, Dec, type Money } from '@pipeline/domain';

export interface QualificationCriteria {
  version: number;
  minimumBudget: Money | null;
  maxPurchaseHorizonDays: number;
  requireDecisionMaker: boolean;
  requireConfirmedNeed: boolean;
  createdAt: Date;
  createdBy: string | null;
}

export type BantCriterion = 'BUDGET' | 'AUTHORITY' | 'NEED' | 'TIMELINE';

export interface BantAnswers {
  budget: Money | null;
  hasBudget: boolean;
  isDecisionMaker: boolean;
  need: string | null;
  needConfirmed: boolean;
  expectedPurchaseDate: string | null;
}

// BANT: a lead qualifies only when every criterion holds; the keys of those that fail are returned in order.
export function unmetBantCriteria(answers: BantAnswers, criteria: QualificationCriteria, today: string): BantCriterion[] {
  const unmet: BantCriterion[] = [];
  if (!budgetMet(answers, criteria)) unmet.push('BUDGET');
  if (criteria.requireDecisionMaker && !answers.isDecisionMaker) unmet.push('AUTHORITY');
  if (criteria.requireConfirmedNeed && !answers.needConfirmed) unmet.push('NEED');
  if (!timelineMet(answers.expectedPurchaseDate, criteria.maxPurchaseHorizonDays, today)) unmet.push('TIMELINE');
  return unmet;
}

function budgetMet(answers: BantAnswers, criteria: QualificationCriteria): boolean {
  if (!answers.hasBudget) return false;
  const minimum = criteria.minimumBudget;
  if (!minimum) return true;
  // Budgets in another currency cannot be compared without rates, so they do not count as met.
  if (!answers.budget || answers.budget.currency !== minimum.currency) return false;
  return new Dec(answers.budget.amount).greaterThanOrEqualTo(minimum.amount);
}

function timelineMet(expectedPurchaseDate: string | null, horizonDays: number, today: string): boolean {
  if (!expectedPurchaseDate) return false;
  return expectedPurchaseDate >= today && expectedPurchaseDate <= addDays(today, horizonDays);
}
