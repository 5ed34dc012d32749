import { badInput, conflict, type LeadSource, type Money, money, type OpportunityStatus, sumByCurrency, type Visibility } from '@pipeline/domain';
import { type CursorValueKind, decodeCursor, encodeCursor, type Page, selectRows } from '@pipeline/persistence';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';

import type { Activity, Opportunity, StageTransition } from '../domain/opportunity';
import type { DealSizeBand } from '../domain/size-bands';
import { ActivityEntity, type ActivityRow, OpportunityEntity, type OpportunityRow, StageTransitionEntity, type StageTransitionRow } from './entities';
import { fromOpportunity, toActivity, toTransition } from './mappers';
import {
  type Bind,
  filterCondition,
  filterNeedsStage,
  OPPORTUNITY_COLUMNS,
  OPPORTUNITY_FROM,
  opportunityFromSql,
  type OpportunitySqlRow,
  positionalBinder,
  STAGE_JOIN,
  visibleOpportunity,
} from './opportunity-sql';

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
  return repository(manager).createQueryBuilder('o').leftJoin('pipeline_stage', 'ps', 'ps.pipeline_id = o.pipeline_id AND ps.key = o.stage_key');
}

// Named parameters for a query builder, from the same conditions the raw reads use.
function namedBinder(prefix: string): { bind: Bind; parameters: Record<string, unknown> } {
  const parameters: Record<string, unknown> = {};
  return {
    parameters,
    bind: (value) => {
      const name = `${prefix}${Object.keys(parameters).length}`;
      parameters[name] = value;
      return `:${name}`;
    },
  };
}

function applyFilterAndVisibility<T extends object>(
  query: SelectQueryBuilder<T>,
  filter: OpportunityListFilter,
  visibility: Visibility,
  bands: DealSizeBand[],
  now: Date,
): SelectQueryBuilder<T> {
  const { bind, parameters } = namedBinder('where');
  return query.andWhere(`${visibleOpportunity(visibility, bind)} AND ${filterCondition(filter, bands, now, bind)}`, parameters);
}

export async function findOpportunitiesByIds(manager: EntityManager, ids: readonly string[]): Promise<Opportunity[]> {
  if (ids.length === 0) return [];
  const rows: OpportunitySqlRow[] = await selectRows(manager, `SELECT ${OPPORTUNITY_COLUMNS} FROM ${OPPORTUNITY_FROM} WHERE o.id = ANY($1::uuid[])`, [
    [...ids],
  ]);
  return rows.map(opportunityFromSql);
}

export async function findOpportunity(manager: EntityManager, id: string, forUpdate = false): Promise<Opportunity | null> {
  // Locks the opportunity row only: the owner join is nullable, which FOR UPDATE cannot lock.
  const rows: OpportunitySqlRow[] = await selectRows(
    manager,
    `SELECT ${OPPORTUNITY_COLUMNS} FROM ${OPPORTUNITY_FROM} WHERE o.id = $1${forUpdate ? ' FOR UPDATE OF o' : ''}`,
    [id],
  );
  return rows.length > 0 ? opportunityFromSql(rows[0]) : null;
}

export async function findByLeadId(manager: EntityManager, leadId: string): Promise<Opportunity | null> {
  const rows: OpportunitySqlRow[] = await selectRows(manager, `SELECT ${OPPORTUNITY_COLUMNS} FROM ${OPPORTUNITY_FROM} WHERE o.lead_id = $1`, [leadId]);
  return rows.length > 0 ? opportunityFromSql(rows[0]) : null;
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

function orderSql(sort: SortOrder): string {
  const spec = SORTS[sort.field];
  const direction = (sort.direction === 'DESC') !== spec.invert ? 'DESC' : 'ASC';
  return `${spec.expression} ${direction}, o.id ${direction}`;
}

// The filtered, visible rows' WHERE clause and its joins; values bound through `bind`.
function scopeSql(filter: OpportunityListFilter, visibility: Visibility, bands: DealSizeBand[], now: Date, bind: Bind): { joins: string; where: string } {
  return {
    joins: filterNeedsStage(filter) ? STAGE_JOIN : '',
    where: `${visibleOpportunity(visibility, bind)} AND ${filterCondition(filter, bands, now, bind)}`,
  };
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
  const spec = SORTS[sort.field];
  const cursor = decodeCursor(after, ['text', 'text', spec.cast, 'uuid']);
  if (cursor && (cursor[0] !== sort.field || cursor[1] !== sort.direction)) throw badInput('after', 'after belongs to a list in another order');
  const counted = positionalBinder();
  const scope = scopeSql(filter, visibility, bands, now, counted.bind);
  const paged = positionalBinder();
  const pageScope = scopeSql(filter, visibility, bands, now, paged.bind);
  let where = pageScope.where;
  if (cursor) {
    const descending = (sort.direction === 'DESC') !== spec.invert;
    where += ` AND (${spec.expression}, o.id) ${descending ? '<' : '>'} (${paged.bind(cursor[2])}::${spec.cast}, ${paged.bind(cursor[3])}::uuid)`;
  }
  // The joins are many-to-one, so rows never multiply: count(*) counts opportunities and LIMIT cuts whole ones.
  const [countRows, rows] = await Promise.all([
    selectRows<{ count: number }>(manager, `SELECT count(*)::int AS count FROM opportunity o ${scope.joins} WHERE ${scope.where}`, counted.values),
    selectRows<OpportunitySqlRow>(
      manager,
      `SELECT ${OPPORTUNITY_COLUMNS} FROM ${OPPORTUNITY_FROM} ${pageScope.joins} WHERE ${where} ORDER BY ${orderSql(sort)} LIMIT ${paged.bind(first + 1)}`,
      paged.values,
    ),
  ]);
  const items: Opportunity[] = [];
  for (let index = 0; index < Math.min(first, rows.length); index += 1) items.push(opportunityFromSql(rows[index]));
  return { items, hasNextPage: rows.length > first, totalCount: countRows[0].count };
}

export interface StageAggregate {
  stageKey: string;
  count: number;
  amount: Money[];
  weightedAmount: Money[];
}

// Kanban in two statements whatever the number of stages, run side by side: one aggregate, one windowed page of cards.
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
  const scoped = { ...filter, pipelineId };
  const aggregated = positionalBinder();
  const aggregateScope = scopeSql(scoped, visibility, bands, now, aggregated.bind);
  const ranked = positionalBinder();
  const cardScope = scopeSql(scoped, visibility, bands, now, ranked.bind);
  const [aggregateRows, cardRows] = await Promise.all([
    selectRows<{ stage_key: string; currency: string | null; count: number; amount: string | null; weighted: string | null }>(
      manager,
      `SELECT o.stage_key, o.currency, count(*)::int AS count, sum(o.amount) AS amount, sum(o.amount * coalesce(o.probability_override, ps.probability)) AS weighted
         FROM opportunity o ${STAGE_JOIN} WHERE ${aggregateScope.where} GROUP BY o.stage_key, o.currency`,
      aggregated.values,
    ),
    selectRows<OpportunitySqlRow>(
      manager,
      `SELECT * FROM (SELECT ${OPPORTUNITY_COLUMNS}, row_number() OVER (PARTITION BY o.stage_key ORDER BY ${orderSql(sort)}) AS card_rank
                        FROM ${OPPORTUNITY_FROM} ${cardScope.joins} WHERE ${cardScope.where}) ranked
        WHERE card_rank <= ${ranked.bind(cardsPerStage)} ORDER BY stage_key, card_rank`,
      ranked.values,
    ),
  ]);
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
  // Rows come per stage in card order, so each column is filled in order.
  const cards = new Map<string, Opportunity[]>();
  for (const row of cardRows) {
    const column = cards.get(row.stage_key);
    if (column) column.push(opportunityFromSql(row));
    else cards.set(row.stage_key, [opportunityFromSql(row)]);
  }
  return { aggregates: [...aggregates.values()], cards, totalCount: [...aggregates.values()].reduce((sum, entry) => sum + entry.count, 0) };
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
  const rows: Array<{ segment_key: string | null; currency: string | null; count: number; amount: string | null; weighted: string | null }> =
    await applyFilterAndVisibility(baseQuery(manager), filter, visibility, bands, now)
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
