import type { OpportunitySnapshot, StageChangedData } from '@pipeline/events';
import { newestPerKey } from '@pipeline/persistence';
import type { EntityManager } from 'typeorm';

import { copyRows } from './copy-rows';

export interface StageEventRow {
  eventId: string;
  data: StageChangedData;
}

const STAGE_EVENT_COLUMNS =
  'event_id, opportunity_id, pipeline_id, version, from_stage, to_stage, to_category, to_position, changed_at, changed_by, reason, snapshot';
// Up to this many events a chunk's rows travel as one parameter; larger chunks (a backlog) are streamed with COPY.
export const STAGE_EVENTS_INLINE_AT_MOST = 200;

// One event's values in STAGE_EVENT_COLUMNS order, for both ways in.
const stageEventValues = ({ eventId, data }: StageEventRow) =>
  [
    eventId,
    data.opportunityId,
    data.pipelineId,
    data.version,
    data.fromStage,
    data.toStage,
    data.toStageCategory,
    data.toStagePosition ?? null,
    data.changedAt,
    data.changedBy,
    data.reason,
    JSON.stringify(data.opportunity),
  ] as const;

// Keeps the raw events of a chunk, a redelivered event id skipped. A live chunk of a few events is one statement (its
// rows as one JSON parameter of arrays); a large one goes through COPY into a session's staging table (no statement
// parameters to build or parse), then one INSERT.
export async function insertStageEvents(manager: EntityManager, events: StageEventRow[]): Promise<void> {
  if (events.length === 0) return;
  if (events.length <= STAGE_EVENTS_INLINE_AT_MOST) {
    await manager.query(
      `INSERT INTO stage_event (${STAGE_EVENT_COLUMNS})
       SELECT DISTINCT ON (event_id) ${STAGE_EVENT_COLUMNS}
         FROM (SELECT r->>0 AS event_id, (r->>1)::uuid AS opportunity_id, (r->>2)::uuid AS pipeline_id, (r->>3)::integer AS version, r->>4 AS from_stage,
                      r->>5 AS to_stage, r->>6 AS to_category, (r->>7)::integer AS to_position, (r->>8)::timestamptz AS changed_at, r->>9 AS changed_by,
                      r->>10 AS reason, (r->>11)::jsonb AS snapshot
                 FROM jsonb_array_elements($1::jsonb) AS r) AS e
        ORDER BY event_id
       ON CONFLICT (event_id) DO NOTHING`,
      [JSON.stringify(events.map(stageEventValues))],
    );
    return;
  }
  await manager.query(`CREATE TEMP TABLE IF NOT EXISTS stage_event_staging (LIKE stage_event INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`);
  await copyRows(
    manager,
    `stage_event_staging (${STAGE_EVENT_COLUMNS})`,
    events.map((event) => [...stageEventValues(event)]),
  );
  await manager.query(
    `INSERT INTO stage_event (${STAGE_EVENT_COLUMNS})
     SELECT DISTINCT ON (event_id) ${STAGE_EVENT_COLUMNS}
       FROM stage_event_staging ORDER BY event_id
     ON CONFLICT (event_id) DO NOTHING`,
  );
  await manager.query('TRUNCATE stage_event_staging');
}

// Order-tolerant: timelines and current stages are recomputed from every stage event of the opportunities, sorted by
// version, so late, early or repeated deliveries all end in the same state. Set-based: three statements for any number.
export async function rebuildOpportunities(manager: EntityManager, opportunityIds: string[]): Promise<void> {
  const ids = [...new Set(opportunityIds)];
  if (ids.length === 0) return;
  // Lookups per id (LATERAL, fenced by OFFSET 0 so they stay per id): index scans whatever the planner believes of tables
  // it has no statistics for yet, where a join may pick a full scan and sort of the whole table for every chunk.
  await manager.query(
    'DELETE FROM stage_interval WHERE ctid = ANY(ARRAY(SELECT i.ctid FROM unnest($1::uuid[]) AS t(id) CROSS JOIN LATERAL (SELECT ctid FROM stage_interval WHERE opportunity_id = t.id OFFSET 0) i))',
    [ids],
  );
  await manager.query(
    `WITH events AS (
       SELECT DISTINCT ON (opportunity_id, version) opportunity_id, version, pipeline_id, to_stage, to_category, to_position, changed_at
         FROM unnest($1::uuid[]) AS t(id) CROSS JOIN LATERAL (SELECT * FROM stage_event WHERE opportunity_id = t.id OFFSET 0) e ORDER BY opportunity_id, version, changed_at)
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
        probability, owner_id, industry, region, lead_id, lead_source, expected_close_date, created_at, stage_entered_at, closed_at, archived)
     SELECT e.opportunity_id, e.version, e.pipeline_id, e.to_stage, e.to_category, e.to_position, e.to_category,
            e.snapshot->>'name', e.snapshot->>'accountName', (e.snapshot->'amount'->>'amount')::numeric, e.snapshot->'amount'->>'currency',
            (e.snapshot->>'probability')::double precision, (e.snapshot->>'ownerId')::uuid, e.snapshot->>'industry', e.snapshot->>'region',
            (e.snapshot->>'leadId')::uuid, e.snapshot->>'leadSource', (e.snapshot->>'expectedCloseDate')::date, (e.snapshot->>'createdAt')::timestamptz,
            e.changed_at, CASE WHEN e.to_category = 'OPEN' THEN NULL ELSE e.changed_at END, coalesce((e.snapshot->>'archived')::boolean, false)
       FROM unnest($1::uuid[]) AS t(id) CROSS JOIN LATERAL (SELECT * FROM stage_event WHERE opportunity_id = t.id ORDER BY version DESC, changed_at DESC LIMIT 1) e
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
       expected_close_date = CASE WHEN EXCLUDED.version >= opportunity_fact.version THEN EXCLUDED.expected_close_date ELSE opportunity_fact.expected_close_date END,
       archived = CASE WHEN EXCLUDED.version >= opportunity_fact.version THEN EXCLUDED.archived ELSE opportunity_fact.archived END`,
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

// Field changes (amount, owner, close date) arrive on their own topic: newest version wins; stage fields only seed a new
// row, from the chunk's first arrival (the one that inserts it when applied one by one), until stage events rebuild them.
export async function applyOpportunityStates(manager: EntityManager, states: OpportunityState[]): Promise<void> {
  if (states.length === 0) return;
  const first = new Map<string, OpportunityState>();
  for (const state of states) if (!first.has(state.opportunityId)) first.set(state.opportunityId, state);
  const rows = newestPerKey(states, (state) => state.opportunityId).map((state) => {
    const seed = first.get(state.opportunityId) as OpportunityState;
    const snapshot = state.snapshot;
    return {
      opportunity_id: state.opportunityId,
      version: state.version,
      pipeline_id: seed.pipelineId,
      stage: seed.stage,
      stage_category: seed.stageCategory,
      status: seed.stageCategory,
      name: snapshot.name,
      account_name: snapshot.accountName,
      amount: snapshot.amount?.amount ?? null,
      currency: snapshot.amount?.currency ?? null,
      probability: snapshot.probability,
      owner_id: snapshot.ownerId,
      industry: snapshot.industry,
      region: snapshot.region ?? null,
      lead_id: snapshot.leadId,
      lead_source: snapshot.leadSource,
      expected_close_date: snapshot.expectedCloseDate,
      created_at: seed.snapshot.createdAt,
      stage_entered_at: seed.at,
      archived: snapshot.archived ?? false,
    };
  });
  await manager.query(
    `INSERT INTO opportunity_fact (opportunity_id, version, pipeline_id, stage, stage_category, stage_position, status, name, account_name, amount, currency,
        probability, owner_id, industry, region, lead_id, lead_source, expected_close_date, created_at, stage_entered_at, closed_at, archived)
     SELECT r.opportunity_id, r.version, r.pipeline_id, r.stage, r.stage_category, NULL, r.status, r.name, r.account_name, r.amount, r.currency,
            r.probability, r.owner_id, r.industry, r.region, r.lead_id, r.lead_source, r.expected_close_date, r.created_at, r.stage_entered_at, NULL, r.archived
       FROM jsonb_to_recordset($1::jsonb) AS r(opportunity_id uuid, version integer, pipeline_id uuid, stage text, stage_category text, status text, name text,
            account_name text, amount numeric, currency text, probability double precision, owner_id uuid, industry text, region text, lead_id uuid,
            lead_source text, expected_close_date date, created_at timestamptz, stage_entered_at timestamptz, archived boolean)
     ON CONFLICT (opportunity_id) DO UPDATE SET
       version = EXCLUDED.version, name = EXCLUDED.name, account_name = EXCLUDED.account_name, amount = EXCLUDED.amount, currency = EXCLUDED.currency,
       probability = EXCLUDED.probability, owner_id = EXCLUDED.owner_id, industry = EXCLUDED.industry, region = EXCLUDED.region,
       lead_id = EXCLUDED.lead_id, lead_source = EXCLUDED.lead_source, expected_close_date = EXCLUDED.expected_close_date, archived = EXCLUDED.archived
     WHERE opportunity_fact.version < EXCLUDED.version`,
    [JSON.stringify(rows)],
  );
}

export interface LeadState {
  leadId: string;
  version: number;
  source: string;
  status: string;
  ownerId: string | null;
  industry: string | null;
  region: string | null;
  score: number | null;
  createdAt: string;
  convertedAt: string | null;
  opportunityId: string | null;
  // Absent in events from before archiving existed: not archived.
  archived?: boolean;
}

// Lead funnel facts, as if the chunk's events were applied one by one in arrival order: an event counts only if newer than
// the stored row and every earlier arrival; the newest sets the fields, the conversion time is the first known, the opportunity the last.
export async function applyLeadStates(manager: EntityManager, leads: LeadState[]): Promise<void> {
  if (leads.length === 0) return;
  const rows = leads.map((lead, arrival) => ({
    arrival,
    lead_id: lead.leadId,
    version: lead.version,
    source: lead.source,
    status: lead.status,
    owner_id: lead.ownerId,
    industry: lead.industry,
    region: lead.region,
    score: lead.score,
    created_at: lead.createdAt,
    converted_at: lead.convertedAt,
    opportunity_id: lead.opportunityId,
    archived: lead.archived ?? false,
  }));
  await manager.query(
    `WITH input AS (
        SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(arrival integer, lead_id uuid, version integer, source text, status text, owner_id uuid, industry text,
               region text, score integer, created_at timestamptz, converted_at timestamptz, opportunity_id uuid, archived boolean)),
      ranked AS (
        SELECT i.*, max(i.version) OVER (PARTITION BY i.lead_id ORDER BY i.arrival ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS earlier_version FROM input i),
      applied AS (
        SELECT r.* FROM ranked r LEFT JOIN lead_fact l ON l.lead_id = r.lead_id
         WHERE (l.lead_id IS NULL OR r.version > l.version) AND (r.earlier_version IS NULL OR r.version > r.earlier_version)),
      merged AS (
        SELECT lead_id, max(version) AS version,
               (array_agg(converted_at ORDER BY version) FILTER (WHERE converted_at IS NOT NULL))[1] AS converted_at,
               (array_agg(opportunity_id ORDER BY version DESC) FILTER (WHERE opportunity_id IS NOT NULL))[1] AS opportunity_id
          FROM applied GROUP BY lead_id)
     INSERT INTO lead_fact (lead_id, version, source, status, owner_id, industry, region, score, created_at, converted_at, opportunity_id, archived)
     SELECT a.lead_id, a.version, a.source, a.status, a.owner_id, a.industry, a.region, a.score, a.created_at, m.converted_at, m.opportunity_id, a.archived
       FROM merged m JOIN applied a ON a.lead_id = m.lead_id AND a.version = m.version
     ON CONFLICT (lead_id) DO UPDATE SET version = EXCLUDED.version, source = EXCLUDED.source, status = EXCLUDED.status, owner_id = EXCLUDED.owner_id,
       industry = EXCLUDED.industry, region = EXCLUDED.region, score = EXCLUDED.score, archived = EXCLUDED.archived,
       converted_at = coalesce(lead_fact.converted_at, EXCLUDED.converted_at), opportunity_id = coalesce(EXCLUDED.opportunity_id, lead_fact.opportunity_id)
     WHERE lead_fact.version < EXCLUDED.version`,
    [JSON.stringify(rows)],
  );
}

export interface RepState {
  repId: string;
  name: string;
  teamId: string | null;
  active: boolean;
  version: number;
}

// Reps and teams; the newest version wins (the first arrival of a version, as one-by-one upserts would keep).
export async function applyRepStates(manager: EntityManager, reps: RepState[]): Promise<void> {
  if (reps.length === 0) return;
  const rows = newestPerKey(reps, (rep) => rep.repId).map((rep) => ({
    rep_id: rep.repId,
    name: rep.name,
    team_id: rep.teamId,
    active: rep.active,
    version: rep.version,
  }));
  await manager.query(
    `INSERT INTO rep_fact (rep_id, name, team_id, active, version)
     SELECT r.rep_id, r.name, r.team_id, r.active, r.version FROM jsonb_to_recordset($1::jsonb) AS r(rep_id uuid, name text, team_id text, active boolean, version integer)
     ON CONFLICT (rep_id) DO UPDATE SET name = EXCLUDED.name, team_id = EXCLUDED.team_id, active = EXCLUDED.active, version = EXCLUDED.version
     WHERE rep_fact.version < EXCLUDED.version`,
    [JSON.stringify(rows)],
  );
}

export type DealOutcome =
  | {
      kind: 'closed';
      opportunityId: string;
      outcome: string;
      lostReason: string | null;
      competitor: string | null;
      closedAt: string | null;
      amount: string | null;
      currency: string | null;
      occurredAt: string;
    }
  | { kind: 'reopened'; opportunityId: string; occurredAt: string };

// Deal outcomes and lost reasons; a reopen clears the outcome but keeps the last closed amount. As if the chunk's events
// were applied one by one in arrival order: an event counts only if not older than the stored row and every earlier arrival.
export async function applyDealOutcomes(manager: EntityManager, outcomes: DealOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  const rows = outcomes.map((item, arrival) =>
    item.kind === 'closed'
      ? {
          arrival,
          closed: true,
          opportunity_id: item.opportunityId,
          outcome: item.outcome,
          lost_reason: item.lostReason,
          competitor: item.competitor,
          closed_at: item.closedAt,
          amount: item.amount,
          currency: item.currency,
          occurred_at: item.occurredAt,
        }
      : {
          arrival,
          closed: false,
          opportunity_id: item.opportunityId,
          outcome: null,
          lost_reason: null,
          competitor: null,
          closed_at: null,
          amount: null,
          currency: null,
          occurred_at: item.occurredAt,
        },
  );
  await manager.query(
    `WITH input AS (
        SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(arrival integer, closed boolean, opportunity_id uuid, outcome text, lost_reason text, competitor text,
               closed_at timestamptz, amount numeric, currency text, occurred_at timestamptz)),
      ranked AS (
        SELECT i.*, max(i.occurred_at) OVER (PARTITION BY i.opportunity_id ORDER BY i.arrival ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS earlier_at FROM input i),
      applied AS (
        SELECT r.*, d.amount AS stored_amount, d.currency AS stored_currency
          FROM ranked r LEFT JOIN deal_fact d ON d.opportunity_id = r.opportunity_id
         WHERE (d.opportunity_id IS NULL OR r.occurred_at >= d.occurred_at) AND (r.earlier_at IS NULL OR r.occurred_at >= r.earlier_at)),
      last_event AS (SELECT DISTINCT ON (opportunity_id) * FROM applied ORDER BY opportunity_id, occurred_at DESC, arrival DESC),
      last_close AS (SELECT DISTINCT ON (opportunity_id) opportunity_id, amount, currency FROM applied WHERE closed ORDER BY opportunity_id, occurred_at DESC, arrival DESC)
     INSERT INTO deal_fact (opportunity_id, outcome, lost_reason, competitor, closed_at, amount, currency, occurred_at)
     SELECT e.opportunity_id, e.outcome, e.lost_reason, e.competitor, e.closed_at,
            CASE WHEN c.opportunity_id IS NOT NULL THEN c.amount ELSE e.stored_amount END,
            CASE WHEN c.opportunity_id IS NOT NULL THEN c.currency ELSE e.stored_currency END, e.occurred_at
       FROM last_event e LEFT JOIN last_close c ON c.opportunity_id = e.opportunity_id
     ON CONFLICT (opportunity_id) DO UPDATE SET outcome = EXCLUDED.outcome, lost_reason = EXCLUDED.lost_reason, competitor = EXCLUDED.competitor,
       closed_at = EXCLUDED.closed_at, amount = EXCLUDED.amount, currency = EXCLUDED.currency, occurred_at = EXCLUDED.occurred_at
     WHERE deal_fact.occurred_at <= EXCLUDED.occurred_at`,
    [JSON.stringify(rows)],
  );
}
