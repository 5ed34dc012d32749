import { conflict, isUuid } from '@pipeline/domain';
import { isUniqueViolation, selectRows } from '@pipeline/persistence';
import type { EntityManager } from 'typeorm';

import type { SalesRep } from '../domain/sales-rep';
import { SalesRepEntity } from './entities';
import { SALES_REP_COLUMNS, salesRepFromSql, type SalesRepSqlRow } from './lead-sql';
import { toSalesRep } from './mappers';

const reps = (manager: EntityManager) => manager.getRepository(SalesRepEntity);

export async function findRepsByIds(manager: EntityManager, ids: readonly string[]): Promise<SalesRep[]> {
  // A non-UUID (an admin's or analyst's token subject, a hand-made reference) names no rep and must not fail the uuid cast.
  const wanted = ids.filter(isUuid);
  if (wanted.length === 0) return [];
  const rows: SalesRepSqlRow[] = await selectRows(manager, `SELECT ${SALES_REP_COLUMNS} FROM sales_rep rep WHERE rep.id = ANY($1::uuid[])`, [wanted]);
  return rows.map(salesRepFromSql);
}

export async function listReps(manager: EntityManager): Promise<SalesRep[]> {
  return (await reps(manager).find({ order: { name: 'ASC', id: 'ASC' } })).map(toSalesRep);
}

export async function insertRep(manager: EntityManager, rep: SalesRep): Promise<void> {
  try {
    await reps(manager).insert(rep);
  } catch (error) {
    if (isUniqueViolation(error, 'sales_rep_email_uq')) throw conflict(`A sales rep with email ${rep.email} already exists`, { field: 'email' });
    throw error;
  }
}

export async function updateRep(manager: EntityManager, rep: SalesRep, expectedVersion: number): Promise<void> {
  const { id: _id, createdAt: _createdAt, ...changes } = rep;
  const result = await reps(manager).update({ id: rep.id, version: expectedVersion }, changes);
  if (result.affected !== 1) throw conflict(`Sales rep ${rep.id} was changed by someone else; retry`);
}

// Round-robin state for every rep that just received leads, in one statement however many there are.
export async function touchAssigned(manager: EntityManager, repIds: readonly string[], at: Date): Promise<void> {
  if (repIds.length === 0) return;
  await manager.query('UPDATE sales_rep SET last_assigned_at = $2 WHERE id = ANY($1::uuid[])', [[...new Set(repIds)], at]);
}
