import type { PersonalDataEnvelope } from '@pipeline/events';
import { newestPerKey } from '@pipeline/persistence';
import type { EntityManager } from 'typeorm';

import type { TeamMember } from '../domain/notification';
import type { Assignee, WorkRecord } from '../domain/task';

export interface RepChange {
  id: string;
  name: string;
  role: string;
  teamId: string | null;
  active: boolean;
  version: number;
}

// Reps with their role and team: team visibility, and who approves a team's discounts. The newest version wins.
export async function upsertReps(manager: EntityManager, changes: readonly RepChange[]): Promise<void> {
  const rows = newestPerKey(changes, (change) => change.id).map((rep) => ({
    id: rep.id,
    name: rep.name,
    role: rep.role,
    team_id: rep.teamId,
    active: rep.active,
    version: rep.version,
  }));
  if (rows.length === 0) return;
  await manager.query(
    `INSERT INTO rep (id, name, role, team_id, active, version)
     SELECT r.id, r.name, r.role, r.team_id, r.active, r.version FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, name text, role text, team_id text, active boolean, version integer)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, role = EXCLUDED.role, team_id = EXCLUDED.team_id, active = EXCLUDED.active, version = EXCLUDED.version
     WHERE rep.version < EXCLUDED.version`,
    [JSON.stringify(rows)],
  );
}

export interface LeadChange {
  id: string;
  version: number;
  name: string;
  company: string;
  status: string;
  ownerId: string | null;
  // The person sealed with the lead's key, opened through the lead service to recognise them in task text.
  personal: PersonalDataEnvelope | null;
}

export async function upsertLeads(manager: EntityManager, changes: readonly LeadChange[]): Promise<void> {
  const rows = newestPerKey(changes, (change) => change.id).map((lead) => ({
    id: lead.id,
    version: lead.version,
    name: lead.name,
    company: lead.company,
    status: lead.status,
    owner_id: lead.ownerId,
    personal: lead.personal,
  }));
  if (rows.length === 0) return;
  await manager.query(
    `INSERT INTO lead_snapshot (id, version, name, company, status, owner_id, personal)
     SELECT r.id, r.version, r.name, r.company, r.status, r.owner_id, r.personal
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, version integer, name text, company text, status text, owner_id uuid, personal jsonb)
     ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, name = EXCLUDED.name, company = EXCLUDED.company, status = EXCLUDED.status, owner_id = EXCLUDED.owner_id,
       personal = EXCLUDED.personal
     WHERE lead_snapshot.version < EXCLUDED.version`,
    [JSON.stringify(rows)],
  );
}

export interface OpportunityChange {
  id: string;
  version: number;
  name: string;
  status: string;
  stage: string;
  ownerId: string | null;
  // Set by stage changes only; other updates keep the time the stage was entered.
  stageEnteredAt: string | null;
  leadId: string | null;
}

// A chunk's changes in one statement per round: round k holds each opportunity's k-th change in arrival order, so every
// row goes through exactly the upserts one-by-one application would (lead and stay times merge with what is stored, so
// an opportunity's changes cannot be folded into one). A live chunk has one change per opportunity: one statement.
export async function upsertOpportunities(manager: EntityManager, changes: readonly OpportunityChange[]): Promise<void> {
  const rounds: OpportunityChange[][] = [];
  const seen = new Map<string, number>();
  for (const change of changes) {
    const key = change.id.toLowerCase();
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    (rounds[round] ??= []).push(change);
  }
  for (const round of rounds) await upsertOpportunityRound(manager, round);
}

async function upsertOpportunityRound(manager: EntityManager, changes: readonly OpportunityChange[]): Promise<void> {
  // A round holds one change per opportunity (upsertOpportunities): each is a row as it is.
  const rows = changes.map((state) => ({
    id: state.id,
    version: state.version,
    name: state.name,
    status: state.status,
    stage: state.stage,
    owner_id: state.ownerId,
    stage_entered_at: state.stageEnteredAt,
    lead_id: state.leadId,
  }));
  if (rows.length === 0) return;
  // A new stage is a new stay: it may be told as stalled again.
  await manager.query(
    `INSERT INTO opportunity_snapshot (id, version, name, status, stage, owner_id, stage_entered_at, lead_id)
     SELECT r.id, r.version, r.name, r.status, r.stage, r.owner_id, r.stage_entered_at, r.lead_id
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, version integer, name text, status text, stage text, owner_id uuid, stage_entered_at timestamptz, lead_id uuid)
     ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, name = EXCLUDED.name, status = EXCLUDED.status, stage = EXCLUDED.stage, owner_id = EXCLUDED.owner_id,
       lead_id = coalesce(EXCLUDED.lead_id, opportunity_snapshot.lead_id),
       stage_entered_at = coalesce(EXCLUDED.stage_entered_at, opportunity_snapshot.stage_entered_at),
       stalled_notified_at = CASE WHEN EXCLUDED.stage_entered_at IS NOT NULL AND EXCLUDED.stage_entered_at IS DISTINCT FROM opportunity_snapshot.stage_entered_at
                                  THEN NULL ELSE opportunity_snapshot.stalled_notified_at END
     WHERE opportunity_snapshot.version < EXCLUDED.version
        -- Creation comes twice at version 1 (opportunity.created and the first stage change): the stage change adds when the stage was entered.
        OR (opportunity_snapshot.version = EXCLUDED.version AND opportunity_snapshot.stage_entered_at IS NULL AND EXCLUDED.stage_entered_at IS NOT NULL)`,
    [JSON.stringify(rows)],
  );
}

// Leads are open until converted or disqualified; opportunities while OPEN.
const OPEN_LEAD_STATUSES = ['NEW', 'WORKING', 'QUALIFIED'];

export async function findWorkRecord(manager: EntityManager, kind: WorkRecord['kind'], id: string): Promise<WorkRecord | null> {
  const table = kind === 'LEAD' ? 'lead_snapshot' : 'opportunity_snapshot';
  const rows: Array<{ owner_id: string | null; team_id: string | null; status: string }> = await manager.query(
    `SELECT s.owner_id, r.team_id, s.status FROM ${table} s LEFT JOIN rep r ON r.id = s.owner_id WHERE s.id = $1`,
    [id],
  );
  if (!rows[0]) return null;
  const open = kind === 'LEAD' ? OPEN_LEAD_STATUSES.includes(rows[0].status) : rows[0].status === 'OPEN';
  return { kind, id, ownerId: rows[0].owner_id, ownerTeamId: rows[0].team_id, open };
}

export async function findAssignee(manager: EntityManager, id: string): Promise<Assignee | null> {
  const rows: Array<{ id: string; team_id: string | null; active: boolean }> = await manager.query('SELECT id, team_id, active FROM rep WHERE id = $1', [id]);
  return rows[0] ? { id: rows[0].id, teamId: rows[0].team_id, active: rows[0].active } : null;
}

export async function teamMembers(manager: EntityManager, teamId: string): Promise<TeamMember[]> {
  const rows: Array<{ id: string; role: string; team_id: string | null; active: boolean }> = await manager.query(
    'SELECT id, role, team_id, active FROM rep WHERE team_id = $1',
    [teamId],
  );
  return rows.map((row) => ({ id: row.id, role: row.role, teamId: row.team_id, active: row.active }));
}

export async function teamOf(manager: EntityManager, repId: string | null): Promise<string | null> {
  if (repId === null) return null;
  const rows: Array<{ team_id: string | null }> = await manager.query('SELECT team_id FROM rep WHERE id::text = $1', [repId]);
  return rows[0]?.team_id ?? null;
}

export async function findOpportunityOwner(manager: EntityManager, id: string): Promise<{ ownerId: string | null; name: string } | null> {
  const rows: Array<{ owner_id: string | null; name: string }> = await manager.query('SELECT owner_id, name FROM opportunity_snapshot WHERE id = $1', [id]);
  return rows[0] ? { ownerId: rows[0].owner_id, name: rows[0].name } : null;
}

export async function snapshotExists(manager: EntityManager, kind: WorkRecord['kind'], id: string): Promise<boolean> {
  const rows: unknown[] = await manager.query(`SELECT 1 FROM ${kind === 'LEAD' ? 'lead_snapshot' : 'opportunity_snapshot'} WHERE id = $1`, [id]);
  return rows.length > 0;
}
