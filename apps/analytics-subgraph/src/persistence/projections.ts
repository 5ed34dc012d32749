import type { EntityManager } from 'typeorm';
import type { OpportunitySnapshot, StageChangedData } from '@pipeline/events';

export async function insertStageEvent(manager: EntityManager, eventId: string, data: StageChangedData): Promise<void> {
  await manager.query(
    `INSERT INTO stage_event (event_id, opportunity_id, pipeline_id, version, from_stage, to_stage, to_category, to_position, changed_at, changed_by, reason, snapshot)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb) ON CONFLICT (event_id) DO NOTHING`,
    [eventId, data.opportunityId, data.pipelineId, data.version, data.fromStage, data.toStage, data.toStageCategory, data.toStagePosition ?? null, data.changedAt, data.changedBy, data.reason, JSON.stringify(data.opportunity)],
  );
}

// Order-tolerant: timelines and current stages are recomputed from every stage event of the opportunities, sorted by
// version, so late, early or repeated deliveries all end in the same state. Set-based: three statements for any number.
export async function rebuildOpportunities(manager: EntityManager, opportunityIds: string[]): Promise<void> {
  const ids = [...new Set(opportunityIds)];
  if (ids.length === 0) return;
  await manager.query('DELETE FROM stage_interval WHERE opportunity_id = ANY($1::uuid[])', [ids]);
  await manager.query(
    `WITH events AS (
       SELECT DISTINCT ON (opportunity_id, version) opportunity_id, version, pipeline_id, to_stage, to_category, to_position, changed_at
         FROM stage_event WHERE opportunity_id = ANY($1::uuid[]) ORDER BY opportunity_id, version, changed_at)
     INSERT INTO stage_interval (opportunity_id, seq, pipeline_id, stage, category, position, entered_at, left_at, later_position, previous_entry_at)
     SELECT opportunity_id, row_number() OVER (PARTITION BY opportunity_id ORDER BY version), pipeline_id, to_stage, to_category, to_position, changed_at,
            lead(changed_at) OVER (PARTITION BY opportunity_id ORDER BY version),
            max(CASE WHEN to_category <> 'LOST' THEN to_position END) OVER (PARTITION BY opportunity_id ORDER BY version ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING),
            lag(changed_at) OVER (PARTITION BY opportunity_id, to_stage ORDER BY version)
       FROM events`,
    [ids],
  );
  await manager.query(
    `INSERT INTO opportunity_fact (opportunity_id, version, pipeline_id, stage, stage_category, stage_position, status, name, account_name, amount, currency,
        probability, owner_id, industry, region, lead_id, lead_source, expected_close_date, created_at, stage_entered_at, closed_at)
     SELECT e.opportunity_id, e.version, e.pipeline_id, e.to_stage, e.to_category, e.to_position, e.to_category,
            e.snapshot->>'name', e.snapshot->>'accountName', (e.snapshot->'amount'->>'amount')::numeric, e.snapshot->'amount'->>'currency',
            (e.snapshot->>'probability')::double precision, (e.snapshot->>'ownerId')::uuid, e.snapshot->>'industry', e.snapshot->>'region',
            (e.snapshot->>'leadId')::uuid, e.snapshot->>'leadSource', (e.snapshot->>'expectedCloseDate')::date, (e.snapshot->>'createdAt')::timestamptz,
            e.changed_at, CASE WHEN e.to_category = 'OPEN' THEN NULL ELSE e.changed_at END
       FROM (SELECT DISTINCT ON (opportunity_id) * FROM stage_event WHERE opportunity_id = ANY($1::uuid[]) ORDER BY opportunity_id, version DESC, changed_at DESC) e
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
    [ids],
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
