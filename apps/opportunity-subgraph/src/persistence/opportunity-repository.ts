import { badInput, conflict, type LeadSource, type Money, money, type OpportunityStatus, sumByCurrency, toIsoDate, type Visibility } from '@pipeline/domain';
import { type CursorValueKind, decodeCursor, encodeCursor, namedVisibility, type Page } from '@pipeline/persistence';
import { Brackets, type EntityManager, type SelectQueryBuilder } from 'typeorm';

import type { Activity, Opportunity, StageTransition } from '../domain/opportunity';
import type { DealSizeBand } from '../domain/size-bands';
import { ActivityEntity, type ActivityRow, OpportunityEntity, type OpportunityRow, StageTransitionEntity, type StageTransitionRow } from './entities';
import { fromOpportunity, toActivity, toOpportunity, toTransition } from './mappers';

export interface OpportunityListFilter {
  pipelineId?: string | null;
  stage?: string[] | null;
  status?: OpportunityStatus[] | null;
  ownerId?: string | null;
  teamId?: string | null;
  industry?: string | null;
  minAmount?: string | null;
  maxAmount?: string | null;
  expectedCloseFrom?: string | null;
  expectedCloseTo?: string | null;
  search?: string | null;
  sizeBand?: string[] | null;
  stalled?: boolean | null;
  leadSource?: LeadSource[] | null;
  includeDeferred?: boolean | null;
  archived?: boolean | null;
  accountId?: string | null;
}

export type SortField = 'CREATED_AT' | 'AMOUNT' | 'EXPECTED_CLOSE_DATE' | 'LAST_ACTIVITY' | 'TIME_IN_STAGE';
export interface SortOrder {
  field: SortField;
  direction: 'ASC' | 'DESC';
}

// Null-free sort keys, so keyset cursors compare whole rows; TIME_IN_STAGE sorts by entry time, reversed.
const SORTS: Record<SortField, { expression: string; cast: CursorValueKind; invert: boolean }> = {
  CREATED_AT: { expression: 'o.created_at', cast: 'timestamptz', invert: false },
  AMOUNT: { expression: 'coalesce(o.amount, -1)', cast: 'numeric', invert: false },
  EXPECTED_CLOSE_DATE: { expression: `coalesce(o.expected_close_date, '9999-12-31'::date)`, cast: 'date', invert: false },
  LAST_ACTIVITY: { expression: `coalesce(o.last_activity_at, '-infinity'::timestamptz)`, cast: 'timestamptz', invert: false },
  TIME_IN_STAGE: { expression: 'o.stage_entered_at', cast: 'timestamptz', invert: true },
};

export const DEFAULT_SORT: SortOrder = { field: 'CREATED_AT', direction: 'DESC' };

const repository = (manager: EntityManager) => manager.getRepository(OpportunityEntity);

function baseQuery(manager: EntityManager): SelectQueryBuilder<OpportunityRow> {
  return repository(manager)
    .createQueryBuilder('o')
    .leftJoinAndSelect('o.owner', 'owner')
    .leftJoin('pipeline_stage', 'ps', 'ps.pipeline_id = o.pipeline_id AND ps.key = o.stage_key');
}

export function applyVisibility<T extends object>(query: SelectQueryBuilder<T>, visibility: Visibility): SelectQueryBuilder<T> {
  const { condition, parameters } = namedVisibility(visibility, {
    owner: 'o.owner_id',
    teamMembers: (team) => `SELECT id FROM rep_snapshot WHERE team_id = ${team}`,
  });
  return query.andWhere(condition, parameters);
}

export function applyFilter<T extends object>(
  query: SelectQueryBuilder<T>,
  filter: OpportunityListFilter,
  bands: DealSizeBand[],
  now: Date,
): SelectQueryBuilder<T> {
  // Archived opportunities leave lists, the board and segments; filter.archived lists them alone.
  query.andWhere(filter.archived ? 'o.archived_at IS NOT NULL' : 'o.archived_at IS NULL');
  if (filter.pipelineId) query.andWhere('o.pipeline_id = :pipelineId', { pipelineId: filter.pipelineId });
  if (filter.accountId) query.andWhere('o.account_id = :accountId', { accountId: filter.accountId });
  if (filter.stage?.length) query.andWhere('o.stage_key IN (:...stages)', { stages: filter.stage });
  if (filter.status?.length) query.andWhere('o.status IN (:...statuses)', { statuses: filter.status });
  if (filter.ownerId) query.andWhere('o.owner_id = :ownerId', { ownerId: filter.ownerId });
  if (filter.teamId) query.andWhere('o.owner_id IN (SELECT id FROM rep_snapshot WHERE team_id = :filterTeamId)', { filterTeamId: filter.teamId });
  if (filter.industry) query.andWhere('lower(o.industry) = lower(:industry)', { industry: filter.industry });
  if (filter.minAmount) query.andWhere('o.amount >= :minAmount::numeric', { minAmount: filter.minAmount });
  if (filter.maxAmount) query.andWhere('o.amount <= :maxAmount::numeric', { maxAmount: filter.maxAmount });
  if (filter.expectedCloseFrom) query.andWhere('o.expected_close_date >= :closeFrom::date', { closeFrom: filter.expectedCloseFrom });
  if (filter.expectedCloseTo) query.andWhere('o.expected_close_date <= :closeTo::date', { closeTo: filter.expectedCloseTo });
  if (filter.leadSource?.length) query.andWhere('o.lead_source IN (:...leadSources)', { leadSources: filter.leadSource });
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (match) => `\\${match}`)}%`;
    query.andWhere(new Brackets((where) => where.where('o.name ILIKE :pattern', { pattern }).orWhere('o.account_name ILIKE :pattern')));
  }
  if (filter.sizeBand?.length) {
    const selected = bands.filter((band) => filter.sizeBand?.includes(band.name));
    query.andWhere(
      new Brackets((where) => {
        where.where('false');
        selected.forEach((band, index) => {
          const conditions = ['o.amount IS NOT NULL'];
          const parameters: Record<string, string> = {};
          if (band.minAmount !== null) {
            conditions.push(`o.amount >= :bandMin${index}::numeric`);
            parameters[`bandMin${index}`] = band.minAmount;
          }
          if (band.maxAmount !== null) {
            conditions.push(`o.amount < :bandMax${index}::numeric`);
            parameters[`bandMax${index}`] = band.maxAmount;
          }
          where.orWhere(`(${conditions.join(' AND ')})`, parameters);
        });
      }),
    );
  }
  const today = toIsoDate(now);
  if (filter.includeDeferred === false) query.andWhere('(o.deferred_until IS NULL OR o.deferred_until <= :today::date)', { today });
  if (filter.stalled !== null && filter.stalled !== undefined) {
    const stalled = `(o.status = 'OPEN' AND ps.stalled_after_days IS NOT NULL AND (o.deferred_until IS NULL OR o.deferred_until <= :today::date)
      AND o.stage_entered_at < :now::timestamptz - make_interval(days => ps.stalled_after_days)
      AND (o.last_activity_at IS NULL OR o.last_activity_at < :now::timestamptz - make_interval(days => ps.stalled_after_days)))`;
    query.andWhere(filter.stalled ? stalled : `NOT ${stalled}`, { today, now: now.toISOString() });
  }
  return query;
}

export async function findOpportunitiesByIds(manager: EntityManager, ids: readonly string[]): Promise<Opportunity[]> {
  if (ids.length === 0) return [];
  return (
    await baseQuery(manager)
      .where('o.id IN (:...ids)', { ids: [...ids] })
      .getMany()
  ).map(toOpportunity);
}

export async function findOpportunity(manager: EntityManager, id: string, forUpdate = false): Promise<Opportunity | null> {
  const query = baseQuery(manager).where('o.id = :id', { id });
  if (forUpdate) query.setLock('pessimistic_write', undefined, ['o']);
  const row = await query.getOne();
  return row ? toOpportunity(row) : null;
}

export async function findByLeadId(manager: EntityManager, leadId: string): Promise<Opportunity | null> {
  const row = await baseQuery(manager).where('o.lead_id = :leadId', { leadId }).getOne();
  return row ? toOpportunity(row) : null;
}

export async function existingExternalIds(manager: EntityManager, externalIds: readonly string[]): Promise<Set<string>> {
  if (externalIds.length === 0) return new Set();
  const rows: Array<{ external_id: string }> = await manager.query('SELECT external_id FROM opportunity WHERE external_id = ANY($1::text[])', [
    [...new Set(externalIds)],
  ]);
  return new Set(rows.map((row) => row.external_id));
}

export async function insertOpportunity(manager: EntityManager, opportunity: Opportunity, createdBy: string | null): Promise<void> {
  await repository(manager).insert(fromOpportunity(opportunity, createdBy));
}

// Many new opportunities in one statement; one whose externalId is taken (by a concurrent import) is left out, and the
// ids of those written are returned.
export async function insertOpportunitiesUnlessExternalIdTaken(
  manager: EntityManager,
  opportunities: Opportunity[],
  createdBy: string | null,
): Promise<Set<string>> {
  if (opportunities.length === 0) return new Set();
  const result = await repository(manager)
    .createQueryBuilder()
    .insert()
    .values(opportunities.map((opportunity) => fromOpportunity(opportunity, createdBy)))
    .orIgnore()
    .returning('id')
    .execute();
  return new Set((result.raw as Array<{ id: string }>).map((row) => row.id));
}

// Compare-and-set on version: a stale writer changes nothing and learns it.
export async function updateOpportunity(manager: EntityManager, opportunity: Opportunity, expectedVersion: number): Promise<void> {
  const { id: _id, createdAt: _createdAt, createdBy: _createdBy, owner: _owner, ...changes } = fromOpportunity(opportunity);
  const result = await repository(manager).update({ id: opportunity.id, version: expectedVersion }, changes);
  if (result.affected !== 1)
    throw conflict(`Opportunity ${opportunity.id} changed since version ${expectedVersion}; reload and retry`, { currentVersion: opportunity.version - 1 });
}

export function opportunityCursor(opportunity: Opportunity, sort: SortOrder): string {
  const value = (() => {
    switch (sort.field) {
      case 'CREATED_AT':
        return opportunity.createdAt.toISOString();
      case 'AMOUNT':
        return opportunity.amount?.amount ?? '-1';
      case 'EXPECTED_CLOSE_DATE':
        return opportunity.expectedCloseDate ?? '9999-12-31';
      case 'LAST_ACTIVITY':
        return opportunity.lastActivityAt?.toISOString() ?? '-infinity';
      case 'TIME_IN_STAGE':
        return opportunity.stageEnteredAt.toISOString();
    }
  })();
  return encodeCursor([sort.field, sort.direction, value, opportunity.id]);
}

function orderQuery<T extends object>(query: SelectQueryBuilder<T>, sort: SortOrder): void {
  const spec = SORTS[sort.field];
  const descending = (sort.direction === 'DESC') !== spec.invert;
  query.orderBy(spec.expression, descending ? 'DESC' : 'ASC').addOrderBy('o.id', descending ? 'DESC' : 'ASC');
}

export async function listOpportunities(
  manager: EntityManager,
  filter: OpportunityListFilter,
  visibility: Visibility,
  bands: DealSizeBand[],
  sort: SortOrder,
  first: number,
  after: string | null,
  now: Date,
): Promise<Page<Opportunity>> {
  const query = applyFilter(applyVisibility(baseQuery(manager), visibility), filter, bands, now);
  const totalCount = await query.clone().getCount();
  const spec = SORTS[sort.field];
  const cursor = decodeCursor(after, ['text', 'text', spec.cast, 'uuid']);
  if (cursor) {
    if (cursor[0] !== sort.field || cursor[1] !== sort.direction) throw badInput('after', 'after belongs to a list in another order');
    const descending = (sort.direction === 'DESC') !== spec.invert;
    query.andWhere(`(${spec.expression}, o.id) ${descending ? '<' : '>'} (:cursorValue::${spec.cast}, :cursorId::uuid)`, {
      cursorValue: cursor[2],
      cursorId: cursor[3],
    });
  }
  orderQuery(query, sort);
  // limit, not take: the joins are many-to-one, so rows never multiply and raw sort expressions stay usable.
  const rows = await query.limit(first + 1).getMany();
  return { items: rows.slice(0, first).map(toOpportunity), hasNextPage: rows.length > first, totalCount };
}

export interface StageAggregate {
  stageKey: string;
  count: number;
  amount: Money[];
  weightedAmount: Money[];
}

// Kanban in two statements whatever the number of stages: one aggregate, one windowed page of cards.
export async function boardColumns(
  manager: EntityManager,
  pipelineId: string,
  filter: OpportunityListFilter,
  visibility: Visibility,
  bands: DealSizeBand[],
  sort: SortOrder,
  cardsPerStage: number,
  now: Date,
): Promise<{ aggregates: StageAggregate[]; cards: Map<string, Opportunity[]>; totalCount: number }> {
  const scoped = () => applyFilter(applyVisibility(baseQuery(manager), visibility), { ...filter, pipelineId }, bands, now);
  const aggregateRows: Array<{ stage_key: string; currency: string | null; count: number; amount: string | null; weighted: string | null }> = await scoped()
    .select('o.stage_key', 'stage_key')
    .addSelect('o.currency', 'currency')
    .addSelect('count(*)::int', 'count')
    .addSelect('sum(o.amount)', 'amount')
    .addSelect('sum(o.amount * coalesce(o.probability_override, ps.probability))', 'weighted')
    .groupBy('o.stage_key')
    .addGroupBy('o.currency')
    .getRawMany();
  const aggregates = new Map<string, StageAggregate>();
  for (const row of aggregateRows) {
    const entry = aggregates.get(row.stage_key) ?? { stageKey: row.stage_key, count: 0, amount: [], weightedAmount: [] };
    entry.count += row.count;
    if (row.currency && row.amount !== null) {
      const code = row.currency.trim();
      entry.amount = sumByCurrency([...entry.amount, money(row.amount, code)]);
      entry.weightedAmount = sumByCurrency([...entry.weightedAmount, money(row.weighted ?? '0', code)]);
    }
    aggregates.set(row.stage_key, entry);
  }

  const spec = SORTS[sort.field];
  const descending = (sort.direction === 'DESC') !== spec.invert;
  const ranked = scoped()
    .select('o.id', 'id')
    .addSelect(
      `row_number() OVER (PARTITION BY o.stage_key ORDER BY ${spec.expression} ${descending ? 'DESC' : 'ASC'}, o.id ${descending ? 'DESC' : 'ASC'})`,
      'rank',
    );
  const [rankedSql, parameters] = ranked.getQueryAndParameters();
  const cardIds: Array<{ id: string }> = await manager.query(`SELECT id FROM (${rankedSql}) ranked WHERE rank <= ${cardsPerStage + 0}`, parameters);
  const cardRows = await findOpportunitiesByIds(
    manager,
    cardIds.map((row) => row.id),
  );
  const cards = new Map<string, Opportunity[]>();
  for (const opportunity of cardRows) cards.set(opportunity.stageKey, [...(cards.get(opportunity.stageKey) ?? []), opportunity]);
  for (const list of cards.values()) {
    list.sort((a, b) => {
      const [left, right] = [opportunityCursorValue(a, sort.field), opportunityCursorValue(b, sort.field)];
      const order = left < right ? -1 : left > right ? 1 : a.id.localeCompare(b.id);
      return descending ? -order : order;
    });
  }
  return { aggregates: [...aggregates.values()], cards, totalCount: [...aggregates.values()].reduce((sum, entry) => sum + entry.count, 0) };
}

function opportunityCursorValue(opportunity: Opportunity, field: SortField): number | string {
  switch (field) {
    case 'CREATED_AT':
      return opportunity.createdAt.getTime();
    case 'AMOUNT':
      return opportunity.amount ? Number(opportunity.amount.amount) : -1;
    case 'EXPECTED_CLOSE_DATE':
      return opportunity.expectedCloseDate ?? '9999-12-31';
    case 'LAST_ACTIVITY':
      return opportunity.lastActivityAt?.getTime() ?? Number.NEGATIVE_INFINITY;
    case 'TIME_IN_STAGE':
      return opportunity.stageEnteredAt.getTime();
  }
}

export type SegmentDimension = 'SIZE_BAND' | 'STAGE' | 'INDUSTRY' | 'OWNER' | 'LEAD_SOURCE' | 'ACCOUNT';

export async function segmentRows(
  manager: EntityManager,
  dimension: SegmentDimension,
  filter: OpportunityListFilter,
  visibility: Visibility,
  bands: DealSizeBand[],
  now: Date,
): Promise<Array<{ key: string | null; count: number; amount: Money[]; weightedAmount: Money[] }>> {
  const bandCase = `CASE ${bands
    .map((band, index) => {
      const conditions = [
        band.minAmount !== null ? `o.amount >= :segMin${index}::numeric` : 'true',
        band.maxAmount !== null ? `o.amount < :segMax${index}::numeric` : 'true',
      ];
      return `WHEN o.amount IS NOT NULL AND ${conditions.join(' AND ')} THEN '${band.name}'`;
    })
    .join(' ')} ELSE NULL END`;
  const bandParameters = Object.fromEntries(
    bands.flatMap((band, index) => [
      ...(band.minAmount !== null ? [[`segMin${index}`, band.minAmount]] : []),
      ...(band.maxAmount !== null ? [[`segMax${index}`, band.maxAmount]] : []),
    ]),
  );
  const keyExpression = {
    SIZE_BAND: bandCase,
    STAGE: 'o.stage_key',
    INDUSTRY: 'o.industry',
    OWNER: 'o.owner_id::text',
    LEAD_SOURCE: 'o.lead_source',
    ACCOUNT: 'o.account_id::text',
  }[dimension];
  const rows: Array<{ segment_key: string | null; currency: string | null; count: number; amount: string | null; weighted: string | null }> = await applyFilter(
    applyVisibility(baseQuery(manager), visibility),
    filter,
    bands,
    now,
  )
    .select(`${keyExpression}`, 'segment_key')
    .addSelect('o.currency', 'currency')
    .addSelect('count(*)::int', 'count')
    .addSelect('sum(o.amount)', 'amount')
    .addSelect('sum(o.amount * coalesce(o.probability_override, ps.probability))', 'weighted')
    .setParameters(bandParameters)
    .groupBy('segment_key')
    .addGroupBy('o.currency')
    .orderBy('segment_key')
    .getRawMany();
  const segments = new Map<string | null, { key: string | null; count: number; amount: Money[]; weightedAmount: Money[] }>();
  for (const row of rows) {
    const entry = segments.get(row.segment_key) ?? { key: row.segment_key, count: 0, amount: [], weightedAmount: [] };
    entry.count += row.count;
    if (row.currency && row.amount !== null) {
      const code = row.currency.trim();
      entry.amount = sumByCurrency([...entry.amount, money(row.amount, code)]);
      entry.weightedAmount = sumByCurrency([...entry.weightedAmount, money(row.weighted ?? '0', code)]);
    }
    segments.set(row.segment_key, entry);
  }
  return [...segments.values()];
}

export async function insertTransition(manager: EntityManager, transition: StageTransition): Promise<void> {
  await insertTransitions(manager, [transition]);
}

// Eight bind parameters per row: chunks stay far below PostgreSQL's limit of 65,535.
export async function insertTransitions(manager: EntityManager, transitions: StageTransition[]): Promise<void> {
  for (let start = 0; start < transitions.length; start += 1_000)
    await manager.getRepository(StageTransitionEntity).insert(transitions.slice(start, start + 1_000));
}

// One statement for a batch of opportunities, oldest first; with a limit, each opportunity's most recent entries only.
export async function transitionsByOpportunityIds(
  manager: EntityManager,
  ids: readonly string[],
  perOpportunity: number | null = null,
): Promise<StageTransition[]> {
  if (ids.length === 0) return [];
  const rows: StageTransitionRow[] = await manager.query(
    `SELECT opportunity_id AS "opportunityId", from_stage AS "fromStage", to_stage AS "toStage", changed_at AS "changedAt", changed_by AS "changedBy", reason,
            time_in_previous_stage_seconds AS "timeInPreviousStageSeconds", version
       FROM (SELECT t.*, row_number() OVER (PARTITION BY t.opportunity_id ORDER BY t.version DESC) AS rank FROM stage_transition t WHERE t.opportunity_id = ANY($1::uuid[])) ranked
      WHERE $2::int IS NULL OR rank <= $2::int
      ORDER BY opportunity_id, version`,
    [[...ids], perOpportunity],
  );
  return rows.map(toTransition);
}

export async function insertActivity(manager: EntityManager, activity: Activity): Promise<void> {
  await manager.getRepository(ActivityEntity).insert(activity);
}

// One statement for a batch of opportunities, newest first, at most perOpportunity each.
export async function activitiesByOpportunityIds(manager: EntityManager, ids: readonly string[], perOpportunity: number): Promise<Activity[]> {
  if (ids.length === 0) return [];
  const rows: ActivityRow[] = await manager.query(
    `SELECT id, opportunity_id AS "opportunityId", type, subject, notes, occurred_at AS "occurredAt", owner_id AS "ownerId"
       FROM (SELECT a.*, row_number() OVER (PARTITION BY a.opportunity_id ORDER BY a.occurred_at DESC, a.id DESC) AS rank FROM activity a WHERE a.opportunity_id = ANY($1::uuid[])) ranked
      WHERE rank <= $2::int
      ORDER BY opportunity_id, occurred_at DESC, id DESC`,
    [[...ids], perOpportunity],
  );
  return rows.map(toActivity);
}

export async function activityCount(manager: EntityManager, opportunityId: string): Promise<number> {
  return manager.getRepository(ActivityEntity).count({ where: { opportunityId } });
}
