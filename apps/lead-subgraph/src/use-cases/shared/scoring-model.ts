import type { EntityManager } from 'typeorm';

import type { Lead } from '../../domain/lead';
import { scoringInputOf } from '../../domain/new-lead';
import type { ActiveModel, NaiveBayesModel } from '../../domain/scoring';
import { scoreLead } from '../../domain/scoring';
import { ScoringModelEntity, type ScoringModelRow } from '../../persistence/entities';
import { activityCount } from '../../persistence/lead-repository';

// The model in force: the newest active one (null while the rules score alone).
export async function findActiveModelRow(manager: EntityManager): Promise<ScoringModelRow | null> {
  return manager.getRepository(ScoringModelEntity).findOne({ where: { active: true }, order: { version: 'DESC' } });
}

export async function loadActiveModel(manager: EntityManager): Promise<ActiveModel | null> {
  const row = await findActiveModelRow(manager);
  return row ? { version: row.version, model: row.parameters as NaiveBayesModel } : null;
}

export { scoringInputOf } from '../../domain/new-lead';

// Recomputes a lead's score from its current data and activity; the manual override stays untouched.
export async function rescore(manager: EntityManager, lead: Lead, now: Date, model?: ActiveModel | null): Promise<Lead> {
  const active = model === undefined ? await loadActiveModel(manager) : model;
  const result = scoreLead(scoringInputOf(lead, await activityCount(manager, lead.id)), active, now);
  return { ...lead, computedScore: result.score, scoreFactors: result.factors, scoreMethod: result.method, scoreModelVersion: result.modelVersion };
}
