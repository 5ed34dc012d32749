import { formatAmount, type Money } from '@pipeline/domain';

import type { Lead, Qualification } from '../domain/lead';
import type { QualificationCriteria } from '../domain/qualification';
import type { SalesRep } from '../domain/sales-rep';
import type { LeadRow, QualificationCriteriaRow, QualificationRow, SalesRepRow } from './entities';

export const toSalesRep = (row: SalesRepRow): SalesRep => ({ ...row, regions: row.regions ?? [], industries: row.industries ?? [] });

export function toQualification(row: QualificationRow | null): Qualification | null {
  if (!row) return null;
  return { ...row, qualifiedAt: new Date(row.qualifiedAt) };
}

export function fromQualification(qualification: Qualification | null): QualificationRow | null {
  if (!qualification) return null;
  return { ...qualification, qualifiedAt: qualification.qualifiedAt.toISOString() };
}

export function toLead(row: LeadRow): Lead {
  const { owner, score: _score, estimatedValueAmount, estimatedValueCurrency, qualification, createdBy: _createdBy, ...rest } = row;
  return {
    ...rest,
    ownerTeamId: owner?.teamId ?? null,
    estimatedValue: leadEstimatedValue(estimatedValueAmount, estimatedValueCurrency),
    qualification: toQualification(qualification),
  };
}

export function leadEstimatedValue(amount: string | null, currency: string | null): Money | null {
  if (amount === null || currency === null) return null;
  const code = currency.trim();
  return { amount: formatAmount(amount, code), currency: code };
}

export function fromLead(lead: Lead, createdBy: string | null = null): LeadRow {
  const { ownerTeamId: _ownerTeamId, estimatedValue, qualification, ...rest } = lead;
  return {
    ...rest,
    estimatedValueAmount: estimatedValue?.amount ?? null,
    estimatedValueCurrency: estimatedValue?.currency ?? null,
    qualification: fromQualification(qualification),
    createdBy,
  };
}

export const toCriteria = (row: QualificationCriteriaRow): QualificationCriteria => ({
  version: row.version,
  minimumBudget:
    row.minimumBudgetAmount !== null && row.minimumBudgetCurrency !== null
      ? { amount: formatAmount(row.minimumBudgetAmount, row.minimumBudgetCurrency.trim()), currency: row.minimumBudgetCurrency.trim() }
      : null,
  maxPurchaseHorizonDays: row.maxPurchaseHorizonDays,
  requireDecisionMaker: row.requireDecisionMaker,
  requireConfirmedNeed: row.requireConfirmedNeed,
  createdAt: row.createdAt,
  createdBy: row.createdBy,
});
