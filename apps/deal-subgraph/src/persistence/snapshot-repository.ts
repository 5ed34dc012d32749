import type { PersonalDataEnvelope } from '@pipeline/events';
import { newestPerKey, selectRows } from '@pipeline/persistence';
import type { EntityManager } from 'typeorm';

import { type DealSettings, DEFAULT_DEAL_SETTINGS } from '../domain/deal';
import { OPPORTUNITY_VIEW_SQL, opportunityViewFromSql, type OpportunityViewSqlRow } from './deal-sql';

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
  archived: boolean;
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
  archived: boolean;
}

// Written only by consumers of the opportunity streams, one statement per chunk; the newest version wins whatever the arrival order.
export async function upsertOpportunitySnapshots(manager: EntityManager, states: readonly OpportunityState[]): Promise<void> {
  const rows = newestPerKey(states, (state) => state.id).map((state) => ({
    id: state.id,
    version: state.version,
    name: state.name,
    account_name: state.accountName,
    status: state.status,
    stage: state.stage,
    stage_category: state.stageCategory,
    owner_id: state.ownerId,
    lead_id: state.leadId,
    // Amounts travel as decimal strings inside the JSON, so numeric parses them exactly (never through a float).
    amount: state.amount?.amount ?? null,
    currency: state.amount?.currency ?? null,
    archived: state.archived,
  }));
  if (rows.length === 0) return;
  await manager.query(
    `INSERT INTO opportunity_snapshot (id, version, name, account_name, status, stage, stage_category, owner_id, lead_id, amount, currency, archived, updated_at)
     SELECT r.id, r.version, r.name, r.account_name, r.status, r.stage, r.stage_category, r.owner_id, r.lead_id, r.amount, r.currency, r.archived, now()
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, version integer, name text, account_name text, status text, stage text, stage_category text,
                                               owner_id uuid, lead_id uuid, amount numeric, currency char(3), archived boolean)
     ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, name = EXCLUDED.name, account_name = EXCLUDED.account_name, status = EXCLUDED.status,
       stage = EXCLUDED.stage, stage_category = EXCLUDED.stage_category, owner_id = EXCLUDED.owner_id, lead_id = EXCLUDED.lead_id,
       amount = EXCLUDED.amount, currency = EXCLUDED.currency, archived = EXCLUDED.archived, updated_at = now()
     WHERE opportunity_snapshot.version < EXCLUDED.version`,
    [JSON.stringify(rows)],
  );
}

export async function opportunitySnapshotExists(manager: EntityManager, id: string): Promise<boolean> {
  const rows: unknown[] = await manager.query('SELECT 1 FROM opportunity_snapshot WHERE id = $1', [id]);
  return rows.length > 0;
}

export async function findOpportunityViews(manager: EntityManager, ids: readonly string[]): Promise<OpportunityView[]> {
  if (ids.length === 0) return [];
  const rows: OpportunityViewSqlRow[] = await selectRows(manager, `${OPPORTUNITY_VIEW_SQL} WHERE o.id = ANY($1::uuid[])`, [[...ids]]);
  return rows.map(opportunityViewFromSql);
}

export interface LeadNeed {
  id: string;
  version: number;
  name: string;
  company: string;
  need: string | null;
  // The person sealed with the lead's key (only the lead service opens it); null for events from before sealing.
  personal: PersonalDataEnvelope | null;
}

// Written only by the lead-event consumer, one statement per chunk; the newest version wins whatever the arrival order.
export async function upsertLeadNeeds(manager: EntityManager, leads: readonly LeadNeed[]): Promise<void> {
  const rows = newestPerKey(leads, (lead) => lead.id);
  if (rows.length === 0) return;
  await manager.query(
    `INSERT INTO lead_snapshot (id, version, name, company, need, personal)
     SELECT r.id, r.version, r.name, r.company, r.need, r.personal
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, version integer, name text, company text, need text, personal jsonb)
     ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, name = EXCLUDED.name, company = EXCLUDED.company, need = EXCLUDED.need, personal = EXCLUDED.personal
       WHERE lead_snapshot.version < EXCLUDED.version`,
    [JSON.stringify(rows)],
  );
}

export type LeadNeedView = Pick<LeadNeed, 'id' | 'name' | 'need' | 'personal'>;

export async function findLeadNeeds(manager: EntityManager, leadIds: readonly string[]): Promise<LeadNeedView[]> {
  if (leadIds.length === 0) return [];
  return manager.query('SELECT id, name, need, personal FROM lead_snapshot WHERE id = ANY($1::uuid[])', [[...leadIds]]);
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
