import type { LeadSnapshot } from '@pipeline/events';
import { newestPerKey } from '@pipeline/persistence';
import type { EntityManager } from 'typeorm';

import { type DealFacts, NO_DEAL_FACTS } from '../domain/criteria';
import { type DealSizeBand, DEFAULT_SIZE_BANDS } from '../domain/size-bands';
import { DealFactEntity, LeadSnapshotEntity, type LeadSnapshotRow, OpportunitySettingEntity } from './entities';

export interface LeadSnapshotChange {
  leadId: string;
  version: number;
  lead: LeadSnapshot;
}

// Snapshots of other services' data, written only by consumers, one statement per chunk of events; a newer version
// never gives way to an older one, whatever the arrival order.
export async function upsertLeadSnapshots(manager: EntityManager, changes: readonly LeadSnapshotChange[]): Promise<void> {
  const rows = newestPerKey(changes, (change) => change.leadId).map(({ leadId, version, lead }) => ({
    id: leadId,
    version,
    status: lead.status,
    name: lead.name,
    company: lead.company,
    industry: lead.industry,
    region: lead.region,
    source: lead.source,
    owner_id: lead.ownerId,
    // A decimal string inside the JSON, so numeric parses it exactly (never through a float).
    estimated_value_amount: lead.estimatedValue?.amount ?? null,
    estimated_value_currency: lead.estimatedValue?.currency ?? null,
    // Events from before the flag existed carry none: such a lead was not archived then.
    archived: lead.archived ?? false,
    personal: lead.personal ?? null,
  }));
  if (rows.length === 0) return;
  await manager.query(
    `INSERT INTO lead_snapshot (id, version, status, name, company, industry, region, source, owner_id, estimated_value_amount, estimated_value_currency, archived, personal, updated_at)
     SELECT r.id, r.version, r.status, r.name, r.company, r.industry, r.region, r.source, r.owner_id, r.estimated_value_amount, r.estimated_value_currency, r.archived, r.personal, now()
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, version integer, status text, name text, company text, industry text, region text, source text,
                                               owner_id uuid, estimated_value_amount numeric, estimated_value_currency char(3), archived boolean, personal jsonb)
     ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, status = EXCLUDED.status, name = EXCLUDED.name, company = EXCLUDED.company,
       industry = EXCLUDED.industry, region = EXCLUDED.region, source = EXCLUDED.source, owner_id = EXCLUDED.owner_id,
       estimated_value_amount = EXCLUDED.estimated_value_amount, estimated_value_currency = EXCLUDED.estimated_value_currency, archived = EXCLUDED.archived, personal = EXCLUDED.personal, updated_at = now()
     WHERE lead_snapshot.version < EXCLUDED.version`,
    [JSON.stringify(rows)],
  );
}

export async function findLeadSnapshot(manager: EntityManager, leadId: string): Promise<LeadSnapshotRow | null> {
  return manager.getRepository(LeadSnapshotEntity).findOneBy({ id: leadId });
}

// Locks the lead's snapshot for the rest of the transaction and tells whether its person was erased.
export async function lockLeadSnapshotErased(manager: EntityManager, leadId: string): Promise<boolean> {
  const rows: Array<{ erased: boolean }> = await manager.query('SELECT erased FROM lead_snapshot WHERE id = $1 FOR UPDATE', [leadId]);
  return rows[0]?.erased ?? false;
}

export async function findRepTeam(manager: EntityManager, repId: string): Promise<{ exists: boolean; teamId: string | null; active: boolean }> {
  const rows: Array<{ team_id: string | null; active: boolean }> = await manager.query('SELECT team_id, active FROM rep_snapshot WHERE id = $1', [repId]);
  return rows.length === 0 ? { exists: false, teamId: null, active: false } : { exists: true, teamId: rows[0].team_id, active: rows[0].active };
}

// The teams of many reps in one statement (unknown reps are left out).
export async function findRepTeams(manager: EntityManager, repIds: readonly string[]): Promise<Map<string, string | null>> {
  if (repIds.length === 0) return new Map();
  const rows: Array<{ id: string; team_id: string | null }> = await manager.query('SELECT id, team_id FROM rep_snapshot WHERE id = ANY($1::uuid[])', [
    [...new Set(repIds)],
  ]);
  return new Map(rows.map((row) => [row.id, row.team_id]));
}

export async function dealFacts(manager: EntityManager, opportunityId: string): Promise<DealFacts> {
  const row = await manager.getRepository(DealFactEntity).findOneBy({ opportunityId });
  return row ? { proposalSent: row.proposalSent, negotiationStarted: row.negotiationStarted, outcome: row.outcome, lostReason: row.lostReason } : NO_DEAL_FACTS;
}

export async function saveDealFacts(manager: EntityManager, opportunityId: string, facts: DealFacts): Promise<void> {
  await saveManyDealFacts(manager, [{ opportunityId, facts }]);
}

export async function saveManyDealFacts(manager: EntityManager, items: Array<{ opportunityId: string; facts: DealFacts }>): Promise<void> {
  if (items.length === 0) return;
  const updatedAt = new Date();
  await manager.getRepository(DealFactEntity).upsert(
    items.map(({ opportunityId, facts }) => ({ opportunityId, ...facts, updatedAt })),
    ['opportunityId'],
  );
}

const SIZE_BANDS_KEY = 'deal-size-bands';

export async function loadSizeBands(manager: EntityManager): Promise<DealSizeBand[]> {
  const row = await manager.getRepository(OpportunitySettingEntity).findOneBy({ key: SIZE_BANDS_KEY });
  return (row?.value as DealSizeBand[] | undefined) ?? DEFAULT_SIZE_BANDS;
}

// Bands matter to a list or board only when it filters by them: the others skip reading them.
export async function sizeBandsFor(manager: EntityManager, filter: { sizeBand?: string[] | null }): Promise<DealSizeBand[]> {
  return filter.sizeBand?.length ? loadSizeBands(manager) : [];
}

export async function saveSizeBands(manager: EntityManager, bands: DealSizeBand[], updatedBy: string): Promise<void> {
  await manager.getRepository(OpportunitySettingEntity).upsert({ key: SIZE_BANDS_KEY, value: bands, updatedBy, updatedAt: new Date() }, ['key']);
}
