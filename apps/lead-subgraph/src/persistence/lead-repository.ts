import { conflict, isUuid, type LeadSource, type LeadStatus, type Visibility } from '@pipeline/domain';
import { decodeCursor, encodeCursor, isUniqueViolation, namedVisibility, type Page, selectRows } from '@pipeline/persistence';
import { Brackets, type EntityManager, type SelectQueryBuilder } from 'typeorm';

import type { Lead, LeadActivity } from '../domain/lead';
import { OPEN_LEAD_STATUSES } from '../domain/lead';
import { LeadActivityEntity, LeadEntity, type LeadRow } from './entities';
import { LEAD_COLUMNS, LEAD_FROM, leadFromSql, type LeadSqlRow } from './lead-sql';
import { fromLead, toLead } from './mappers';

export interface LeadListFilter {
  status?: LeadStatus[] | null;
  source?: LeadSource[] | null;
  ownerId?: string | null;
  industry?: string | null;
  region?: string | null;
  minScore?: number | null;
  search?: string | null;
  unassigned?: boolean | null;
  archived?: boolean | null;
}

const leads = (manager: EntityManager) => manager.getRepository(LeadEntity);

function baseQuery(manager: EntityManager): SelectQueryBuilder<LeadRow> {
  return leads(manager).createQueryBuilder('lead').leftJoinAndSelect('lead.owner', 'owner');
}

// Row-level visibility as SQL, so lists and counts see exactly what the caller may see.
export function applyVisibility<T extends object>(query: SelectQueryBuilder<T>, visibility: Visibility): SelectQueryBuilder<T> {
  const { condition, parameters } = namedVisibility(visibility, {
    owner: 'lead.owner_id',
    teamMembers: (team) => `SELECT id FROM sales_rep WHERE team_id = ${team}`,
  });
  return query.andWhere(condition, parameters);
}

export async function findLeadsByIds(manager: EntityManager, ids: readonly string[], forUpdate = false): Promise<Lead[]> {
  // A non-UUID names no lead; sent along, its uuid cast would fail the whole batch.
  const wanted = ids.filter(isUuid);
  if (wanted.length === 0) return [];
  // Lead rows only (the owner join is nullable), in id order so two batch writers cannot deadlock.
  const rows: LeadSqlRow[] = await selectRows(
    manager,
    `SELECT ${LEAD_COLUMNS} FROM ${LEAD_FROM} WHERE lead.id = ANY($1::uuid[])${forUpdate ? ' ORDER BY lead.id FOR UPDATE OF lead' : ''}`,
    [wanted],
  );
  return rows.map(leadFromSql);
}

export async function findLead(manager: EntityManager, id: string, forUpdate = false): Promise<Lead | null> {
  // Locks the lead row only: the owner join is nullable, which FOR UPDATE cannot lock.
  const rows: LeadSqlRow[] = await selectRows(manager, `SELECT ${LEAD_COLUMNS} FROM ${LEAD_FROM} WHERE lead.id = $1${forUpdate ? ' FOR UPDATE OF lead' : ''}`, [
    id,
  ]);
  return rows.length > 0 ? leadFromSql(rows[0]) : null;
}

export async function findLeadByExternalIds(manager: EntityManager, externalIds: string[]): Promise<Map<string, string>> {
  if (externalIds.length === 0) return new Map();
  const rows: Array<{ id: string; external_id: string }> = await manager.query('SELECT id, external_id FROM lead WHERE external_id = ANY($1::text[])', [
    externalIds,
  ]);
  return new Map(rows.map((row) => [row.external_id, row.id]));
}

export async function listLeads(
  manager: EntityManager,
  filter: LeadListFilter,
  visibility: Visibility,
  first: number,
  after: string | null,
): Promise<Page<Lead>> {
  const query = applyVisibility(baseQuery(manager), visibility);
  // Archived leads leave the lists; filter.archived lists them alone.
  query.andWhere(filter.archived ? 'lead.archived_at IS NOT NULL' : 'lead.archived_at IS NULL');
  if (filter.status?.length) query.andWhere('lead.status IN (:...statuses)', { statuses: filter.status });
  if (filter.source?.length) query.andWhere('lead.source IN (:...sources)', { sources: filter.source });
  if (filter.ownerId) query.andWhere('lead.owner_id = :ownerId', { ownerId: filter.ownerId });
  if (filter.unassigned) query.andWhere('lead.owner_id IS NULL');
  if (filter.industry) query.andWhere('lower(lead.industry) = lower(:industry)', { industry: filter.industry });
  if (filter.region) query.andWhere('lower(lead.region) = lower(:region)', { region: filter.region });
  if (filter.minScore !== null && filter.minScore !== undefined) query.andWhere('lead.score >= :minScore', { minScore: filter.minScore });
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (match) => `\\${match}`)}%`;
    query.andWhere(
      new Brackets((where) => where.where('lead.name ILIKE :pattern', { pattern }).orWhere('lead.company ILIKE :pattern').orWhere('lead.email ILIKE :pattern')),
    );
  }
  const totalCount = await query.clone().getCount();
  const cursor = decodeCursor(after, ['timestamptz', 'uuid']);
  if (cursor) {
    query.andWhere('(lead.created_at, lead.id) < (:cursorTime::timestamptz, :cursorId::uuid)', { cursorTime: cursor[0], cursorId: cursor[1] });
  }
  const rows = await query
    .orderBy('lead.created_at', 'DESC')
    .addOrderBy('lead.id', 'DESC')
    .limit(first + 1)
    .getMany();
  return { items: rows.slice(0, first).map(toLead), hasNextPage: rows.length > first, totalCount };
}

export const leadCursor = (lead: Lead): string => encodeCursor([lead.createdAt.toISOString(), lead.id]);

// Chunks keep each INSERT under PostgreSQL's bind-parameter limit.
const INSERT_CHUNK = 500;

export async function insertLeads(manager: EntityManager, items: Lead[], createdBy: string | null): Promise<void> {
  if (items.length === 0) return;
  try {
    for (let start = 0; start < items.length; start += INSERT_CHUNK) {
      await leads(manager).insert(items.slice(start, start + INSERT_CHUNK).map((lead) => fromLead(lead, createdBy)));
    }
  } catch (error) {
    // The caller checked first, but a concurrent writer can take the externalId between that check and this insert.
    if (isUniqueViolation(error, 'lead_external_id_uq')) {
      const named = items.length === 1 ? ` ${items[0].externalId}` : '';
      throw conflict(`A lead with externalId${named} already exists`, { field: 'externalId' });
    }
    throw error;
  }
}

// Inserts the leads whose externalId nobody has taken (even concurrently since the caller checked) and returns their ids.
export async function insertLeadsUnlessExternalIdTaken(manager: EntityManager, items: Lead[], createdBy: string | null): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (let start = 0; start < items.length; start += INSERT_CHUNK) {
    const result = await leads(manager)
      .createQueryBuilder()
      .insert()
      .values(items.slice(start, start + INSERT_CHUNK).map((lead) => fromLead(lead, createdBy)))
      .orIgnore()
      .returning('id')
      .execute();
    for (const row of result.raw as Array<{ id: string }>) inserted.add(row.id);
  }
  return inserted;
}

// Open leads for a bulk rescore, locked (lead rows only) in id order so two bulk writers cannot deadlock.
export async function lockOpenLeads(manager: EntityManager): Promise<Lead[]> {
  const rows = await baseQuery(manager)
    .where('lead.status IN (:...open)', { open: [...OPEN_LEAD_STATUSES] })
    .orderBy('lead.id')
    .setLock('pessimistic_write', undefined, ['lead'])
    .getMany();
  return rows.map(toLead);
}

// Rows an UPDATE changed: TypeORM answers raw UPDATE statements with [rows, rowCount].
export function updatedRowCount(result: unknown): number {
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}

// Optimistic write: the row changes only if nobody changed it since it was read.
export async function updateLead(manager: EntityManager, lead: Lead, expectedVersion: number): Promise<void> {
  const { id: _id, createdAt: _createdAt, createdBy: _createdBy, owner: _owner, ...changes } = fromLead(lead);
  const result = await leads(manager).update({ id: lead.id, version: expectedVersion }, changes);
  if (result.affected !== 1) throw conflict(`Lead ${lead.id} was changed by someone else; reload and retry`, { leadId: lead.id });
}

// A duplicate the caller cannot see is still a duplicate: the use case discloses only its id.
export async function findOpenDuplicate(manager: EntityManager, email: string | null, company: string, name: string, exceptId?: string): Promise<Lead | null> {
  const query = baseQuery(manager)
    .where('lead.status IN (:...open)', { open: [...OPEN_LEAD_STATUSES] })
    .andWhere('lead.archived_at IS NULL')
    .andWhere(
      new Brackets((where) => {
        where.where('lower(lead.company) = :company AND lower(lead.name) = :name', { company: company.toLowerCase(), name: name.toLowerCase() });
        if (email) where.orWhere('lower(lead.email) = :email', { email: email.toLowerCase() });
      }),
    );
  if (exceptId) query.andWhere('lead.id <> :exceptId', { exceptId });
  const row = await query.orderBy('lead.created_at', 'ASC').getOne();
  return row ? toLead(row) : null;
}

export async function openLeadCounts(manager: EntityManager, repIds?: readonly string[]): Promise<Map<string, number>> {
  const rows: Array<{ owner_id: string; count: number }> = await manager.query(
    `SELECT owner_id, count(*)::int AS count FROM lead
      WHERE owner_id IS NOT NULL AND archived_at IS NULL AND status = ANY($1::text[]) ${repIds ? 'AND owner_id = ANY($2::uuid[])' : ''}
      GROUP BY owner_id`,
    repIds ? [OPEN_LEAD_STATUSES, repIds] : [OPEN_LEAD_STATUSES],
  );
  return new Map(rows.map((row) => [row.owner_id, row.count]));
}

export async function insertActivity(manager: EntityManager, activity: LeadActivity): Promise<void> {
  await manager.getRepository(LeadActivityEntity).insert({ ...activity, createdAt: new Date() });
}

// The newest `limit` activities of each lead in one statement; LATERAL ... LIMIT stops early on (lead_id, occurred_at DESC).
export async function activitiesByLeadIds(manager: EntityManager, leadIds: readonly string[], limit: number): Promise<LeadActivity[]> {
  if (leadIds.length === 0 || limit === 0) return [];
  return manager.query(
    `SELECT recent.id, recent.lead_id AS "leadId", recent.type, recent.subject, recent.notes, recent.occurred_at AS "occurredAt", recent.owner_id AS "ownerId"
       FROM unnest($1::uuid[]) AS parent(id)
       CROSS JOIN LATERAL (
         SELECT * FROM lead_activity WHERE lead_activity.lead_id = parent.id ORDER BY occurred_at DESC, id DESC LIMIT $2
       ) recent
      ORDER BY recent.lead_id, recent.occurred_at DESC, recent.id DESC`,
    [[...leadIds], limit],
  );
}

export async function activityCount(manager: EntityManager, leadId: string): Promise<number> {
  return manager.getRepository(LeadActivityEntity).count({ where: { leadId } });
}

// Two creations of the same person at once must not both pass the duplicate check: lock the match keys first
// (email before company+name, always in that order, so no two transactions wait on each other in a cycle).
export async function lockDuplicateKeys(manager: EntityManager, email: string | null, company: string, name: string): Promise<void> {
  if (email) await manager.query(`SELECT pg_advisory_xact_lock(hashtext('lead-email:' || $1))`, [email.toLowerCase()]);
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('lead-name:' || $1))`, [`${company.toLowerCase()}|${name.toLowerCase()}`]);
}

// A merge moves the duplicate's activities to the lead that absorbed it; their times and authors are kept.
export async function moveActivities(manager: EntityManager, fromLeadId: string, toLeadId: string): Promise<number> {
  const result = await manager.query('UPDATE lead_activity SET lead_id = $2 WHERE lead_id = $1', [fromLeadId, toLeadId]);
  return updatedRowCount(result);
}
