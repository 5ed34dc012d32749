import { type Actor, assertRole, badInput, parseInteger, parseMoney } from '@pipeline/domain';
import { appendToOutbox } from '@pipeline/persistence';

import type { QualificationCriteria } from '../../domain/qualification';
import { qualificationCriteriaChangedEvent } from '../../events/process-events';
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
  const [requireDecisionMaker, requireConfirmedNeed] = [input.requireDecisionMaker, input.requireConfirmedNeed];
  // The new version and its fact in one transaction: analytics measures the cohorts before and after it.
  return deps.dataSource.transaction(async (manager) => {
    const repository = manager.getRepository(QualificationCriteriaEntity);
    const saved = await repository.save({
      minimumBudgetAmount: minimumBudget?.amount ?? null,
      minimumBudgetCurrency: minimumBudget?.currency ?? null,
      maxPurchaseHorizonDays,
      requireDecisionMaker,
      requireConfirmedNeed,
      createdBy: actor.userId,
    });
    const criteria = toCriteria(await repository.findOneByOrFail({ version: saved.version }));
    await appendToOutbox(manager, [qualificationCriteriaChangedEvent(criteria)]);
    return criteria;
  });
}
