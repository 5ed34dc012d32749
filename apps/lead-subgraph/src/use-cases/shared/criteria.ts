import type { EntityManager } from 'typeorm';

import type { QualificationCriteria } from '../../domain/qualification';
import { QualificationCriteriaEntity } from '../../persistence/entities';
import { toCriteria } from '../../persistence/mappers';

// Criteria are versioned rows; the newest is in force.
export async function currentCriteria(manager: EntityManager): Promise<QualificationCriteria> {
  const [row] = await manager.getRepository(QualificationCriteriaEntity).find({ order: { version: 'DESC' }, take: 1 });
  if (!row) throw new Error('No qualification criteria: the initial migration seeds version 1');
  return toCriteria(row);
}
