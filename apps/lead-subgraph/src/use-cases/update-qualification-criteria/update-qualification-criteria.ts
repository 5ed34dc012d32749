import { assertRole, badInput, parseInteger, parseMoney, type Actor } from '@pipeline/domain';
import type { QualificationCriteria } from '../../domain/qualification';
import { QualificationCriteriaEntity } from '../../persistence/entities';
import { toCriteria } from '../../persistence/mappers';
import type { LeadDeps } from '../deps';

export interface UpdateQualificationCriteriaCommand {
  minimumBudget?: { amount: unknown; currency: unknown } | null;
  maxPurchaseHorizonDays: unknown;
  requireDecisionMaker: unknown;
  requireConfirmedNeed: unknown;
}

// A new version, never an edit: leads keep pointing at the version they were judged by.
export async function updateQualificationCriteria(deps: LeadDeps, actor: Actor, input: UpdateQualificationCriteriaCommand): Promise<QualificationCriteria> {
  assertRole(actor, ['ADMIN'], 'change qualification criteria');
  const minimumBudget = input.minimumBudget ? parseMoney(input.minimumBudget, 'minimumBudget') : null;
  const maxPurchaseHorizonDays = parseInteger(input.maxPurchaseHorizonDays, 'maxPurchaseHorizonDays', 1, 3_650);
  if (typeof input.requireDecisionMaker !== 'boolean') throw badInput('requireDecisionMaker', 'requireDecisionMaker must be true or false');
  if (typeof input.requireConfirmedNeed !== 'boolean') throw badInput('requireConfirmedNeed', 'requireConfirmedNeed must be true or false');
  const repository = deps.dataSource.getRepository(QualificationCriteriaEntity);
  const saved = await repository.save({
    minimumBudgetAmount: minimumBudget?.amount ?? null,
    minimumBudgetCurrency: minimumBudget?.currency ?? null,
    maxPurchaseHorizonDays,
    requireDecisionMaker: input.requireDecisionMaker,
    requireConfirmedNeed: input.requireConfirmedNeed,
    createdBy: actor.userId,
  });
  return toCriteria(await repository.findOneByOrFail({ version: saved.version }));
}
