import type { EntityManager } from 'typeorm';
import type { OpportunitySnapshot, StageChangedData } from '@pipeline/events';

interface StageEventRow {
  to_stage: string;
  to_category: string;
  to_position: number | null;
  pipeline_id: string;
  changed_at: Date;
  version: number;
  snapshot: OpportunitySnapshot;
}

export async function insertStageEvent(manager: EntityManager, eventId: string, data: StageChangedData): Promise<void> {
  await manager.query(
    `INSERT INTO stage_event (event_id, opportunity_id, pipeline_id, version, from_stage, to_stage, to_category, to_position, changed_at, changed_by, reason, snapshot)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb) ON CONFLICT (event_id) DO NOTHING`,
    [eventId, data.opportunityId, data.pipelineId, data.version, data.fromStage, data.toStage, data.toStageCategory, data.toStagePosition ?? null, data.changedAt, data.changedBy, data.reason, JSON.stringify(data.opportunity)],
  );
}

// Order-tolerant: the timeline and current stage are recomputed from every stage event of the opportunity, sorted by
// version, so late, early or repeated deliveries all end in the same state.
export async function rebuildOpportunity(manager: EntityManager, opportunityId: string): Promise<void> {
  const events: StageEventRow[] = await manager.query(
    `SELECT DISTINCT ON (version) to_stage, to_category, to_position, pipeline_id, changed_at, version, snapshot
       FROM stage_event WHERE opportunity_id = $1 ORDER BY version, changed_at`,
    [opportunityId],
  );
  if (events.length === 0) return;
  await manager.query('DELETE FROM stage_interval WHERE opportunity_id = $1', [opportunityId]);
  const values: unknown[] = [];
  const rows = events.map((event, index) => {
    const base = index * 8;
    values.push(opportunityId, index + 1, event.pipeline_id, event.to_stage, event.to_category, event.to_position, event.changed_at, events[index + 1]?.changed_at ?? null);
    return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6}, $${base + 7}, $${base + 8})`;
  });
  await manager.query(`INSERT INTO stage_interval (opportunity_id, seq, pipeline_id, stage, category, position, entered_at, left_at) VALUES ${rows.join(', ')}`, values);

  const latest = events[events.length - 1];
  const snapshot = latest.snapshot;
  await manager.query(
    `INSERT INTO opportunity_fact (opportunity_id, version, pipeline_id, stage, stage_category, stage_position, status, name, account_name, amount, currency,
        probability, owner_id, industry, region, lead_id, lead_source, expected_close_date, created_at, stage_entered_at, closed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
     ON CONFLICT (opportunity_id) DO UPDATE SET
       pipeline_id = EXCLUDED.pipeline_id, stage = EXCLUDED.stage, stage_category = EXCLUDED.stage_category, stage_position = EXCLUDED.stage_position,
       status = EXCLUDED.status, stage_entered_at = EXCLUDED.stage_entered_at, closed_at = EXCLUDED.closed_at,
       version = greatest(opportunity_fact.version, EXCLUDED.version),
       name = CASE WHEN EXCLUDED.version >= opportunity_fact.version THEN EXCLUDED.name ELSE opportunity_fact.name END,
       account_name = CASE WHEN EXCLUDED.version >= opportunity_fact.version THEN EXCLUDED.account_name ELSE opportunity_fact.account_name END,
       amount = CASE WHEN EXCLUDED.version >= opportunity_fact.version THEN EXCLUDED.amount ELSE opportunity_fact.amount END,
       currency = CASE WHEN EXCLUDED.version >= opportunity_fact.version THEN EXCLUDED.currency ELSE opportunity_fact.currency END,
       probability = CASE WHEN EXCLUDED.version >= opportunity_fact.version THEN EXCLUDED.probability ELSE opportunity_fact.probability END,
       owner_id = CASE WHEN EXCLUDED.version >= opportunity_fact.version THEN EXCLUDED.owner_id ELSE opportunity_fact.owner_id END,
       industry = CASE WHEN EXCLUDED.version >= opportunity_fact.version THEN EXCLUDED.industry ELSE opportunity_fact.industry END,
       region = CASE WHEN EXCLUDED.version >= opportunity_fact.version THEN EXCLUDED.region ELSE opportunity_fact.region END,
       lead_id = CASE WHEN EXCLUDED.version >= opportunity_fact.version THEN EXCLUDED.lead_id ELSE opportunity_fact.lead_id END,
       lead_source = CASE WHEN EXCLUDED.version >= opportunity_fact.version THEN EXCLUDED.lead_source ELSE opportunity_fact.lead_source END,
       expected_close_date = CASE WHEN EXCLUDED.version >= opportunity_fact.version THEN EXCLUDED.expected_close_date ELSE opportunity_fact.expected_close_date END`,
    [
      opportunityId,
      latest.version,
      latest.pipeline_id,
      latest.to_stage,
      latest.to_category,
      latest.to_position,
      latest.to_category === 'OPEN' ? 'OPEN' : latest.to_category,
      snapshot.name,
      snapshot.accountName,
      snapshot.amount?.amount ?? null,
      snapshot.amount?.currency ?? null,
      snapshot.probability,
      snapshot.ownerId,
      snapshot.industry,
      snapshot.region ?? null,
      snapshot.leadId,
      snapshot.leadSource,
      snapshot.expectedCloseDate,
      snapshot.createdAt,
      latest.changed_at,
      latest.to_category === 'OPEN' ? null : latest.changed_at,
    ],
  );
}

export interface OpportunityState {
  opportunityId: string;
  version: number;
  pipelineId: string;
  stage: string;
  stageCategory: string;
  snapshot: OpportunitySnapshot;
  at: string;
}

// Field changes (amount, owner, close date) arrive on their own topic: newest version wins; stage fields only seed a new row.
export async function applyOpportunityState(manager: EntityManager, state: OpportunityState): Promise<void> {
  const snapshot = state.snapshot;
  await manager.query(
    `INSERT INTO opportunity_fact (opportunity_id, version, pipeline_id, stage, stage_category, stage_position, status, name, account_name, amount, currency,
        probability, owner_id, industry, region, lead_id, lead_source, expected_close_date, created_at, stage_entered_at, closed_at)
     VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, NULL)
     ON CONFLICT (opportunity_id) DO UPDATE SET
       version = EXCLUDED.version, name = EXCLUDED.name, account_name = EXCLUDED.account_name, amount = EXCLUDED.amount, currency = EXCLUDED.currency,
       probability = EXCLUDED.probability, owner_id = EXCLUDED.owner_id, industry = EXCLUDED.industry, region = EXCLUDED.region,
       lead_id = EXCLUDED.lead_id, lead_source = EXCLUDED.lead_source, expected_close_date = EXCLUDED.expected_close_date
     WHERE opportunity_fact.version < EXCLUDED.version`,
    [
      state.opportunityId,
      state.version,
      state.pipelineId,
      state.stage,
      state.stageCategory,
      state.stageCategory === 'OPEN' ? 'OPEN' : state.stageCategory,
      snapshot.name,
      snapshot.accountName,
      snapshot.amount?.amount ?? null,
      snapshot.amount?.currency ?? null,
      snapshot.probability,
      snapshot.ownerId,
      snapshot.industry,
      snapshot.region ?? null,
      snapshot.leadId,
      snapshot.leadSource,
      snapshot.expectedCloseDate,
      snapshot.createdAt,
      state.at,
    ],
  );
}
