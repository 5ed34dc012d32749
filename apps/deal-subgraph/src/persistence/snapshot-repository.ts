import type { EntityManager } from 'typeorm';
import { formatAmount } from '@pipeline/domain';
import { DEFAULT_DEAL_SETTINGS, type DealSettings } from '../domain/deal';
import { OpportunitySnapshotEntity, type OpportunitySnapshotRow } from './entities';

export interface OpportunityView {
  id: string;
  version: number;
  name: string;
  accountName: string;
  status: string;
  stage: string;
  ownerId: string | null;
  ownerTeamId: string | null;
  leadId: string | null;
  amount: { amount: string; currency: string } | null;
}

export interface OpportunityState {
  id: string;
  version: number;
  name: string;
  accountName: string;
  status: string;
  stage: string;
  stageCategory: string;
  ownerId: string | null;
  leadId: string | null;
  amount: { amount: string; currency: string } | null;
}

// Written only by consumers of the opportunity streams; the newest version wins whatever the arrival order.
export async function upsertOpportunitySnapshot(manager: EntityManager, state: OpportunityState): Promise<void> {
  await manager.query(
    `INSERT INTO opportunity_snapshot (id, version, name, account_name, status, stage, stage_category, owner_id, lead_id, amount, currency, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())
     ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, name = EXCLUDED.name, account_name = EXCLUDED.account_name, status = EXCLUDED.status,
       stage = EXCLUDED.stage, stage_category = EXCLUDED.stage_category, owner_id = EXCLUDED.owner_id, lead_id = EXCLUDED.lead_id,
       amount = EXCLUDED.amount, currency = EXCLUDED.currency, updated_at = now()
     WHERE opportunity_snapshot.version < EXCLUDED.version`,
    [state.id, state.version, state.name, state.accountName, state.status, state.stage, state.stageCategory, state.ownerId, state.leadId, state.amount?.amount ?? null, state.amount?.currency ?? null],
  );
}

const toView = (row: OpportunitySnapshotRow): OpportunityView => ({
  id: row.id,
  version: row.version,
  name: row.name,
  accountName: row.accountName,
  status: row.status,
  stage: row.stage,
  ownerId: row.ownerId,
  ownerTeamId: row.owner?.teamId ?? null,
  leadId: row.leadId,
  amount: row.amount !== null && row.currency !== null ? { amount: formatAmount(row.amount, row.currency.trim()), currency: row.currency.trim() } : null,
});

export async function findOpportunityViews(manager: EntityManager, ids: readonly string[]): Promise<OpportunityView[]> {
  if (ids.length === 0) return [];
  const rows = await manager.getRepository(OpportunitySnapshotEntity).createQueryBuilder('o').leftJoinAndSelect('o.owner', 'owner').where('o.id IN (:...ids)', { ids: [...ids] }).getMany();
  return rows.map(toView);
}

export async function upsertLeadNeed(manager: EntityManager, leadId: string, version: number, name: string, company: string, need: string | null): Promise<void> {
  await manager.query(
    `INSERT INTO lead_snapshot (id, version, name, company, need) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, name = EXCLUDED.name, company = EXCLUDED.company, need = EXCLUDED.need WHERE lead_snapshot.version < EXCLUDED.version`,
    [leadId, version, name, company, need],
  );
}

export async function findLeadNeeds(manager: EntityManager, leadIds: readonly string[]): Promise<Array<{ id: string; name: string; need: string | null }>> {
  if (leadIds.length === 0) return [];
  return manager.query('SELECT id, name, need FROM lead_snapshot WHERE id = ANY($1::uuid[])', [[...leadIds]]);
}

const SETTINGS_KEY = 'deal-settings';

export async function loadDealSettings(manager: EntityManager): Promise<DealSettings> {
  const rows: Array<{ value: DealSettings }> = await manager.query('SELECT value FROM deal_setting WHERE key = $1', [SETTINGS_KEY]);
  return rows[0]?.value ?? DEFAULT_DEAL_SETTINGS;
}

export async function saveDealSettings(manager: EntityManager, settings: DealSettings, by: string): Promise<void> {
  await manager.query(
    `INSERT INTO deal_setting (key, value, updated_by) VALUES ($1, $2::jsonb, $3) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [SETTINGS_KEY, JSON.stringify(settings), by],
  );
}
