import { type Actor, assertCanWriteAnything, badInput, canRead, hasRole, isDomainError, newId } from '@pipeline/domain';
import { EVENT_TYPES } from '@pipeline/events';
import { appendToOutbox, type OutboxEntry } from '@pipeline/persistence';
import { parse } from 'csv-parse/sync';
import type { EntityManager } from 'typeorm';

import { chooseOwner, type RepLoad } from '../../domain/assignment';
import type { Lead } from '../../domain/lead';
import { normalizeForMatch, OPEN_LEAD_STATUSES } from '../../domain/lead';
import { planNewLead } from '../../domain/new-lead';
import { canOwnLeads } from '../../domain/sales-rep';
import { leadEvent } from '../../events/lead-events';
import { findLeadByExternalIds, insertLeadsUnlessExternalIdTaken } from '../../persistence/lead-repository';
import { touchAssigned } from '../../persistence/rep-repository';
import type { LeadDeps } from '../deps';
import { lockAssignment, repLoads } from '../shared/assignment';
import { type LeadFields, parseLeadFields } from '../shared/lead-input';
import { loadActiveModel } from '../shared/scoring-model';

export type ImportMode = 'ALL_OR_NOTHING' | 'PER_ROW';

export interface ImportRowError {
  row: number;
  field: string | null;
  message: string;
}

export interface ImportReport {
  rowCount: number;
  created: number;
  skipped: number;
  rejected: number;
  errors: ImportRowError[];
  leadIds: string[];
}

export const IMPORT_COLUMNS = [
  'name',
  'company',
  'email',
  'phone',
  'industry',
  'region',
  'source',
  'sourceDetail',
  'estimatedValue',
  'currency',
  'ownerEmail',
  'externalId',
] as const;
const REQUIRED_COLUMNS = ['name', 'company', 'source'];

type CsvRow = Partial<Record<(typeof IMPORT_COLUMNS)[number], string>>;

interface Candidate {
  row: number;
  fields: LeadFields;
  ownerEmail: string | null;
}

function readCsv(csv: unknown, maxRows: number): CsvRow[] {
  if (typeof csv !== 'string' || csv.trim().length === 0) throw badInput('csv', 'csv must be non-empty CSV text with a header row');
  let header: string[] = [];
  let rows: CsvRow[];
  try {
    rows = parse(csv, {
      columns: (names: string[]) => (header = names),
      skip_empty_lines: true,
      trim: true,
      bom: true,
      relax_column_count: false,
      max_record_size: 64 * 1024,
    });
  } catch (error) {
    throw badInput('csv', `csv is not valid CSV: ${(error as Error).message}`);
  }
  if (rows.length > maxRows) throw badInput('csv', `csv has ${rows.length} rows; one import takes at most ${maxRows}`);
  // The header is checked even when no data row follows, so a wrong file is refused rather than "imported" empty.
  const missing = REQUIRED_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) throw badInput('csv', `csv header lacks required columns: ${missing.join(', ')}`);
  const unknown = header.filter((column) => !(IMPORT_COLUMNS as readonly string[]).includes(column));
  if (unknown.length > 0) throw badInput('csv', `csv header has unknown columns: ${unknown.join(', ')} (known: ${IMPORT_COLUMNS.join(', ')})`);
  return rows;
}

const blankToNull = (value: string | undefined) => (value === undefined || value === '' ? null : value);

// Bulk import with per-row validation and a report; idempotent on externalId, so a re-run creates nothing twice.
export async function importLeads(deps: LeadDeps, actor: Actor, input: { csv: unknown; mode: unknown }): Promise<ImportReport> {
  assertCanWriteAnything(actor);
  if (input.mode !== 'ALL_OR_NOTHING' && input.mode !== 'PER_ROW') throw badInput('mode', 'mode must be ALL_OR_NOTHING or PER_ROW');
  const mode: ImportMode = input.mode;
  const rows = readCsv(input.csv, deps.settings.maxImportRows);
  const errors: ImportRowError[] = [];
  const candidates: Candidate[] = [];
  rows.forEach((row, index) => {
    try {
      const value = blankToNull(row.estimatedValue);
      const fields = parseLeadFields({
        ...row,
        source: row.source?.toUpperCase(),
        estimatedValue: value === null ? null : { amount: value, currency: row.currency ?? '' },
      });
      candidates.push({ row: index + 1, fields, ownerEmail: blankToNull(row.ownerEmail)?.toLowerCase() ?? null });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      errors.push({ row: index + 1, field: (error.details.field as string | undefined) ?? null, message: error.message });
    }
  });

  return deps.dataSource.transaction(async (manager) => {
    await lockAssignment(manager);
    const existing = await findLeadByExternalIds(
      manager,
      candidates.flatMap((candidate) => (candidate.fields.externalId ? [candidate.fields.externalId] : [])),
    );
    const fresh = candidates.filter((candidate) => !candidate.fields.externalId || !existing.has(candidate.fields.externalId));
    const skipped = candidates.length - fresh.length;
    const accepted = await rejectDuplicates(manager, actor, fresh, errors);
    const loads = await repLoads(manager, actor);
    const owned = assignOwners(actor, accepted, loads, errors, deps.now());
    errors.sort((a, b) => a.row - b.row);

    const report = { rowCount: rows.length, skipped, rejected: new Set(errors.map((error) => error.row)).size, errors };
    if (mode === 'ALL_OR_NOTHING' && errors.length > 0) return { ...report, created: 0, leadIds: [] };

    const now = deps.now();
    const model = await loadActiveModel(manager);
    const teamOf = new Map(loads.map((load) => [load.rep.id, load.rep.teamId]));
    const leads: Lead[] = owned.map(({ candidate, ownerId, reason }) =>
      planNewLead({
        id: newId(),
        fields: candidate.fields,
        owner: ownerId ? { id: ownerId, teamId: teamOf.get(ownerId) ?? null } : null,
        assignmentReason: reason,
        model,
        now,
      }),
    );
    // A concurrent createLead can take an externalId after the check above: such rows count as skipped, like earlier imports.
    const inserted = await insertLeadsUnlessExternalIdTaken(manager, leads, actor.userId);
    const created = leads.flatMap((lead, index) => (inserted.has(lead.id) ? [{ lead, reason: owned[index].reason }] : []));
    const events: OutboxEntry[] = [];
    for (const { lead, reason } of created) {
      events.push(leadEvent(EVENT_TYPES.leadCreated, lead, {}, now));
      if (lead.ownerId)
        events.push(leadEvent(EVENT_TYPES.leadAssigned, lead, { ownerId: lead.ownerId, previousOwnerId: null, reason: reason ?? '', assignedBy: null }, now));
    }
    await appendToOutbox(manager, events);
    await touchAssigned(
      manager,
      created.flatMap(({ lead }) => (lead.ownerId ? [lead.ownerId] : [])),
      now,
    );
    return { ...report, skipped: skipped + leads.length - created.length, created: created.length, leadIds: created.map(({ lead }) => lead.id) };
  });
}

// Duplicates of open leads (or of earlier rows in the same file) are refused row by row.
// One the importer cannot see is not named, as createLead does not name it either.
async function rejectDuplicates(manager: EntityManager, actor: Actor, candidates: Candidate[], errors: ImportRowError[]): Promise<Candidate[]> {
  const emails = candidates.flatMap((candidate) => (candidate.fields.email ? [candidate.fields.email] : []));
  const names = candidates.map((candidate) => `${normalizeForMatch(candidate.fields.company)}|${normalizeForMatch(candidate.fields.name)}`);
  const rows: Array<{ id: string; email: string | null; name_key: string; owner_id: string | null; owner_team_id: string | null }> = await manager.query(
    `SELECT lead.id, lower(lead.email) AS email, lower(lead.company) || '|' || lower(lead.name) AS name_key, lead.owner_id, rep.team_id AS owner_team_id
       FROM lead LEFT JOIN sales_rep rep ON rep.id = lead.owner_id
      WHERE lead.status = ANY($1::text[]) AND lead.archived_at IS NULL AND (lower(lead.email) = ANY($2::text[]) OR lower(lead.company) || '|' || lower(lead.name) = ANY($3::text[]))`,
    [OPEN_LEAD_STATUSES, emails, names],
  );
  const label = (row: (typeof rows)[number]) =>
    canRead(actor, { ownerId: row.owner_id, ownerTeamId: row.owner_team_id }) ? `open lead ${row.id}` : 'an open lead you cannot see';
  const byEmail = new Map<string, string>(rows.filter((row) => row.email).map((row) => [row.email as string, label(row)]));
  const byName = new Map<string, string>(rows.map((row) => [row.name_key, label(row)]));
  const seenExternal = new Set<string>();
  const accepted: Candidate[] = [];
  for (const candidate of candidates) {
    const nameKey = `${normalizeForMatch(candidate.fields.company)}|${normalizeForMatch(candidate.fields.name)}`;
    const email = candidate.fields.email;
    const externalId = candidate.fields.externalId;
    if (externalId && seenExternal.has(externalId)) {
      errors.push({ row: candidate.row, field: 'externalId', message: `externalId ${externalId} appears earlier in the file` });
      continue;
    }
    const duplicateOf = (email ? byEmail.get(email) : undefined) ?? byName.get(nameKey);
    if (duplicateOf) {
      errors.push({ row: candidate.row, field: email && byEmail.has(email) ? 'email' : 'company', message: `duplicate of ${duplicateOf}` });
      continue;
    }
    if (externalId) seenExternal.add(externalId);
    if (email) byEmail.set(email, `row ${candidate.row}`);
    byName.set(nameKey, `row ${candidate.row}`);
    accepted.push(candidate);
  }
  return accepted;
}

// The same owner rules as one-by-one creation, applied to an in-memory view of every rep's load.
function assignOwners(
  actor: Actor,
  candidates: Candidate[],
  loads: RepLoad[],
  errors: ImportRowError[],
  now: Date,
): Array<{ candidate: Candidate; ownerId: string | null; reason: string | null }> {
  const byEmail = new Map(loads.map((load) => [load.rep.email.toLowerCase(), load]));
  const onlySelf = hasRole(actor, 'REP') && !hasRole(actor, 'MANAGER') && !hasRole(actor, 'ADMIN');
  const result: Array<{ candidate: Candidate; ownerId: string | null; reason: string | null }> = [];
  for (const candidate of candidates) {
    let load: RepLoad | undefined;
    let reason: string | null;
    if (candidate.ownerEmail) {
      load = byEmail.get(candidate.ownerEmail);
      if (!load || !canOwnLeads(load.rep) || (onlySelf && load.rep.id !== actor.userId)) {
        errors.push({ row: candidate.row, field: 'ownerEmail', message: `ownerEmail ${candidate.ownerEmail} is not an active rep you may assign to` });
        continue;
      }
      reason = 'Owner named in the import file';
    } else if (onlySelf) {
      load = loads.find((entry) => entry.rep.id === actor.userId);
      reason = load ? 'Imported by its owner' : null;
    } else {
      const decision = chooseOwner(candidate.fields, loads);
      load = loads.find((entry) => entry.rep.id === decision.ownerId);
      reason = decision.reason;
    }
    if (load) {
      load.openLeadCount += 1;
      load.rep = { ...load.rep, lastAssignedAt: now };
    }
    result.push({ candidate, ownerId: load?.rep.id ?? null, reason });
  }
  return result;
}
