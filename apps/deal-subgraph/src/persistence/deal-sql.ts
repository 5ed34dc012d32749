import { type DealOutcome, formatAmount, type LostReason } from '@pipeline/domain';

import type { Deal } from '../domain/deal';
import type { OpportunityView } from './snapshot-repository';

// Entity batches (an opportunity's deal for _entities) as plain SQL mapped once from row to domain value: TypeORM's
// entity hydration cost more than PostgreSQL itself on a batch of 50.

// The deferral date as ISO text, as the contract has it.
export const DEAL_COLUMNS = `deal.id, deal.opportunity_id, deal.discount_percent, deal.payment_terms_days, deal.contract_length_months, deal.outcome,
  deal.lost_reason, deal.close_note, deal.closed_at, deal.closed_by, deal.deferred_until::text AS deferred_until, deal.competitor, deal.version,
  deal.created_at, deal.updated_at`;

export interface DealSqlRow {
  id: string;
  opportunity_id: string;
  discount_percent: string | null;
  payment_terms_days: number | null;
  contract_length_months: number | null;
  outcome: DealOutcome | null;
  lost_reason: LostReason | null;
  close_note: string | null;
  closed_at: Date | null;
  closed_by: string | null;
  deferred_until: string | null;
  competitor: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export const dealFromSql = (row: DealSqlRow): Deal => ({
  id: row.id,
  opportunityId: row.opportunity_id,
  terms:
    row.discount_percent !== null && row.payment_terms_days !== null && row.contract_length_months !== null
      ? { discountPercent: Number(row.discount_percent), paymentTermsDays: row.payment_terms_days, contractLengthMonths: row.contract_length_months }
      : null,
  outcome: row.outcome,
  lostReason: row.lost_reason,
  closeNote: row.close_note,
  closedAt: row.closed_at,
  closedBy: row.closed_by,
  deferredUntil: row.deferred_until,
  competitor: row.competitor,
  version: row.version,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export const OPPORTUNITY_VIEW_SQL = `SELECT o.id, o.version, o.name, o.account_name, o.status, o.stage, o.owner_id, owner.team_id AS owner_team_id, o.lead_id,
  o.archived, o.amount, o.currency FROM opportunity_snapshot o LEFT JOIN rep_snapshot owner ON owner.id = o.owner_id`;

export interface OpportunityViewSqlRow {
  id: string;
  version: number;
  name: string;
  account_name: string;
  status: string;
  stage: string;
  owner_id: string | null;
  owner_team_id: string | null;
  lead_id: string | null;
  archived: boolean;
  amount: string | null;
  currency: string | null;
}

export function opportunityViewFromSql(row: OpportunityViewSqlRow): OpportunityView {
  const code = row.currency === null ? null : row.currency.trim();
  return {
    id: row.id,
    version: row.version,
    name: row.name,
    accountName: row.account_name,
    status: row.status,
    stage: row.stage,
    ownerId: row.owner_id,
    ownerTeamId: row.owner_team_id,
    leadId: row.lead_id,
    archived: row.archived,
    amount: row.amount !== null && code !== null ? { amount: formatAmount(row.amount, code), currency: code } : null,
  };
}
