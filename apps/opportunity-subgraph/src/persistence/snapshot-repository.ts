import type { EntityManager } from 'typeorm';
import type { LeadSnapshot } from '@pipeline/events';
import { NO_DEAL_FACTS, type DealFacts } from '../domain/criteria';
import { DEFAULT_SIZE_BANDS, type DealSizeBand } from '../domain/size-bands';
import { DealFactEntity, LeadSnapshotEntity, OpportunitySettingEntity, type LeadSnapshotRow } from './entities';

// Snapshots of other services' data, written only by consumers; a newer version never gives way to an older one.
export async function upsertLeadSnapshot(manager: EntityManager, leadId: string, version: number, lead: LeadSnapshot): Promise<void> {
  await manager.query(
    `INSERT INTO lead_snapshot (id, version, status, name, company, industry, region, source, owner_id, estimated_value_amount, estimated_value_currency, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())
     ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, status = EXCLUDED.status, name = EXCLUDED.name, company = EXCLUDED.company,
       industry = EXCLUDED.industry, region = EXCLUDED.region, source = EXCLUDED.source, owner_id = EXCLUDED.owner_id,
       estimated_value_amount = EXCLUDED.estimated_value_amount, estimated_value_currency = EXCLUDED.estimated_value_currency, updated_at = now()
     WHERE lead_snapshot.version < EXCLUDED.version`,
    [leadId, version, lead.status, lead.name, lead.company, lead.industry, lead.region, lead.source, lead.ownerId, lead.estimatedValue?.amount ?? null, lead.estimatedValue?.currency ?? null],
  );
}

export async function findLeadSnapshot(manager: EntityManager, leadId: string): Promise<LeadSnapshotRow | null> {
  return manager.getRepository(LeadSnapshotEntity).findOneBy({ id: leadId });
}

export async function findRepTeam(manager: EntityManager, repId: string): Promise<{ exists: boolean; teamId: string | null; active: boolean }> {
  const rows: Array<{ team_id: string | null; active: boolean }> = await manager.query('SELECT team_id, active FROM rep_snapshot WHERE id = $1', [repId]);
  return rows.length === 0 ? { exists: false, teamId: null, active: false } : { exists: true, teamId: rows[0].team_id, active: rows[0].active };
}

export async function dealFacts(manager: EntityManager, opportunityId: string): Promise<DealFacts> {
  const row = await manager.getRepository(DealFactEntity).findOneBy({ opportunityId });
  return row ? { proposalSent: row.proposalSent, negotiationStarted: row.negotiationStarted, outcome: row.outcome, lostReason: row.lostReason } : NO_DEAL_FACTS;
}

export async function saveDealFacts(manager: EntityManager, opportunityId: string, facts: DealFacts): Promise<void> {
  await manager.getRepository(DealFactEntity).upsert({ opportunityId, ...facts, updatedAt: new Date() }, ['opportunityId']);
}

const SIZE_BANDS_KEY = 'deal-size-bands';

export async function loadSizeBands(manager: EntityManager): Promise<DealSizeBand[]> {
  const row = await manager.getRepository(OpportunitySettingEntity).findOneBy({ key: SIZE_BANDS_KEY });
  return (row?.value as DealSizeBand[] | undefined) ?? DEFAULT_SIZE_BANDS;
}

export async function saveSizeBands(manager: EntityManager, bands: DealSizeBand[], updatedBy: string): Promise<void> {
  await manager.getRepository(OpportunitySettingEntity).upsert({ key: SIZE_BANDS_KEY, value: bands, updatedBy, updatedAt: new Date() }, ['key']);
}
