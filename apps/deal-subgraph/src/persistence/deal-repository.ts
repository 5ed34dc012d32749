import { conflict } from '@pipeline/domain';
import { selectRows } from '@pipeline/persistence';
import type { EntityManager } from 'typeorm';

import type { Commitment, Deal, DiscountApproval } from '../domain/deal';
import type { Proposal } from '../domain/proposal';
import { DEAL_COLUMNS, dealFromSql, type DealSqlRow } from './deal-sql';
import { CommitmentEntity, DealEntity, DiscountApprovalEntity, ProposalEntity } from './entities';
import { fromDeal, fromProposal, toApproval, toProposal } from './mappers';

export async function findDealsByOpportunityIds(manager: EntityManager, ids: readonly string[]): Promise<Deal[]> {
  if (ids.length === 0) return [];
  const rows: DealSqlRow[] = await selectRows(manager, `SELECT ${DEAL_COLUMNS} FROM deal WHERE deal.opportunity_id = ANY($1::uuid[])`, [[...ids]]);
  return rows.map(dealFromSql);
}

export async function findDealForUpdate(manager: EntityManager, opportunityId: string): Promise<Deal | null> {
  const rows: DealSqlRow[] = await selectRows(manager, `SELECT ${DEAL_COLUMNS} FROM deal WHERE deal.opportunity_id = $1 FOR UPDATE`, [opportunityId]);
  return rows.length > 0 ? dealFromSql(rows[0]) : null;
}

export async function findDealById(manager: EntityManager, id: string, forUpdate = false): Promise<Deal | null> {
  const rows: DealSqlRow[] = await selectRows(manager, `SELECT ${DEAL_COLUMNS} FROM deal WHERE deal.id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows.length > 0 ? dealFromSql(rows[0]) : null;
}

export async function insertDeal(manager: EntityManager, deal: Deal): Promise<void> {
  await manager.getRepository(DealEntity).insert(fromDeal(deal));
}

export async function updateDeal(manager: EntityManager, deal: Deal, expectedVersion: number): Promise<void> {
  const { id: _id, createdAt: _createdAt, opportunityId: _opportunityId, ...changes } = fromDeal(deal);
  const result = await manager.getRepository(DealEntity).update({ id: deal.id, version: expectedVersion }, changes);
  if (result.affected !== 1) throw conflict(`Deal ${deal.id} changed meanwhile; retry`);
}

export async function proposalsByDealIds(manager: EntityManager, dealIds: readonly string[]): Promise<Proposal[]> {
  if (dealIds.length === 0) return [];
  const rows = await manager
    .getRepository(ProposalEntity)
    .createQueryBuilder('p')
    .where('p.deal_id IN (:...dealIds)', { dealIds: [...dealIds] })
    .orderBy('p.version', 'ASC')
    .getMany();
  return rows.map(toProposal);
}

export async function findProposal(manager: EntityManager, id: string, forUpdate = false): Promise<Proposal | null> {
  const query = manager.getRepository(ProposalEntity).createQueryBuilder('p').where('p.id = :id', { id });
  if (forUpdate) query.setLock('pessimistic_write');
  const row = await query.getOne();
  return row ? toProposal(row) : null;
}

export async function insertProposal(manager: EntityManager, proposal: Proposal): Promise<void> {
  await manager.getRepository(ProposalEntity).insert(fromProposal(proposal));
}

export async function updateProposal(manager: EntityManager, proposal: Proposal): Promise<void> {
  const { id, ...changes } = fromProposal(proposal);
  await manager.getRepository(ProposalEntity).update({ id }, changes);
}

// New drafts supersede older drafts; sent proposals stay frozen as they were sent.
export async function supersedeDrafts(manager: EntityManager, dealId: string): Promise<void> {
  await manager.getRepository(ProposalEntity).update({ dealId, status: 'DRAFT' }, { status: 'SUPERSEDED' });
}

export async function nextProposalVersion(manager: EntityManager, dealId: string): Promise<number> {
  const [{ next }] = await manager.query('SELECT coalesce(max(version), 0) + 1 AS next FROM proposal WHERE deal_id = $1', [dealId]);
  return Number(next);
}

export async function approvalsByDealIds(manager: EntityManager, dealIds: readonly string[]): Promise<DiscountApproval[]> {
  if (dealIds.length === 0) return [];
  const rows = await manager
    .getRepository(DiscountApprovalEntity)
    .createQueryBuilder('a')
    .where('a.deal_id IN (:...dealIds)', { dealIds: [...dealIds] })
    .orderBy('a.requested_at', 'ASC')
    .getMany();
  return rows.map(toApproval);
}

export async function findApproval(manager: EntityManager, id: string, forUpdate = false): Promise<DiscountApproval | null> {
  const query = manager.getRepository(DiscountApprovalEntity).createQueryBuilder('a').where('a.id = :id', { id });
  if (forUpdate) query.setLock('pessimistic_write');
  const row = await query.getOne();
  return row ? toApproval(row) : null;
}

export async function saveApproval(manager: EntityManager, approval: DiscountApproval): Promise<void> {
  const { discountPercent: _discountPercent, ...row } = approval;
  await manager.getRepository(DiscountApprovalEntity).save({ ...row, requestedPercent: String(approval.requestedPercent) });
}

// A new terms request replaces any still-pending one: only the newest request is decided.
export async function withdrawPendingApprovals(manager: EntityManager, dealId: string, by: string, at: Date): Promise<void> {
  await manager
    .getRepository(DiscountApprovalEntity)
    .update({ dealId, status: 'PENDING' }, { status: 'REJECTED', decidedBy: by, decidedAt: at, note: 'Withdrawn: replaced by newer terms' });
}

export async function commitmentsByDealIds(manager: EntityManager, dealIds: readonly string[]): Promise<Commitment[]> {
  if (dealIds.length === 0) return [];
  return manager
    .getRepository(CommitmentEntity)
    .createQueryBuilder('c')
    .where('c.deal_id IN (:...dealIds)', { dealIds: [...dealIds] })
    .orderBy('c.committed_at', 'ASC')
    .getMany();
}

export async function insertCommitment(manager: EntityManager, commitment: Commitment): Promise<void> {
  await manager.getRepository(CommitmentEntity).insert(commitment);
}
