import { type Actor, badInput, canRead, isOneOf, LEAD_SOURCES, OPPORTUNITY_STATUSES, parseDecimal, parseId, parseText, visibilityOf } from '@pipeline/domain';
import { type Connection, pageSize, toConnection } from '@pipeline/persistence';

import type { OpportunityLoaders } from '../../context';
import type { Opportunity } from '../../domain/opportunity';
import {
  DEFAULT_SORT,
  listOpportunities,
  opportunityCursor,
  type OpportunityListFilter,
  type SortField,
  type SortOrder,
} from '../../persistence/opportunity-repository';
import { sizeBandsFor } from '../../persistence/snapshot-repository';
import type { OpportunityDeps } from '../deps';
import { parseOptionalDate, parseOptionalId, parseStageKey } from '../shared/opportunity-input';

export interface RawOpportunityFilter {
  pipelineId?: unknown;
  stage?: readonly unknown[] | null;
  status?: readonly unknown[] | null;
  ownerId?: unknown;
  teamId?: unknown;
  industry?: unknown;
  minAmount?: unknown;
  maxAmount?: unknown;
  expectedCloseFrom?: unknown;
  expectedCloseTo?: unknown;
  search?: unknown;
  sizeBand?: readonly unknown[] | null;
  stalled?: boolean | null;
  leadSource?: readonly unknown[] | null;
  includeDeferred?: boolean | null;
  archived?: boolean | null;
  accountId?: unknown;
}

const SORT_FIELDS: SortField[] = ['CREATED_AT', 'AMOUNT', 'EXPECTED_CLOSE_DATE', 'LAST_ACTIVITY', 'TIME_IN_STAGE'];
// Without a pipelineId the keys span every pipeline, so the bound is generous; it only keeps the query size in check.
const MAX_KEYS = 200;

function parseList<T extends string>(values: readonly unknown[] | null | undefined, allowed: readonly T[], field: string): T[] | null {
  if (!values) return null;
  return [
    ...new Set(
      values.map((value, index) => {
        if (!isOneOf(allowed, value)) throw badInput(`${field}[${index}]`, `${field} must be one of ${allowed.join(', ')}`);
        return value;
      }),
    ),
  ];
}

function parseKeys(values: readonly unknown[] | null | undefined, field: string): string[] | null {
  if (!values) return null;
  if (values.length > MAX_KEYS) throw badInput(field, `${field} must list at most ${MAX_KEYS} keys`);
  return [...new Set(values.map((value, index) => parseStageKey(value, `${field}[${index}]`)))];
}

export function parseOpportunityFilter(raw: RawOpportunityFilter | null | undefined): OpportunityListFilter {
  if (!raw) return {};
  const optionalDecimal = (value: unknown, field: string) => (value === null || value === undefined ? null : parseDecimal(value, field).toString());
  const filter: OpportunityListFilter = {
    pipelineId: raw.pipelineId === null || raw.pipelineId === undefined ? null : parseId(raw.pipelineId, 'filter.pipelineId'),
    stage: parseKeys(raw.stage, 'filter.stage'),
    status: parseList(raw.status, OPPORTUNITY_STATUSES, 'filter.status'),
    ownerId: raw.ownerId === null || raw.ownerId === undefined ? null : parseId(raw.ownerId, 'filter.ownerId'),
    teamId: parseText(raw.teamId, 'filter.teamId', { maxLength: 100 }),
    industry: parseText(raw.industry, 'filter.industry', { maxLength: 100 }),
    minAmount: optionalDecimal(raw.minAmount, 'filter.minAmount'),
    maxAmount: optionalDecimal(raw.maxAmount, 'filter.maxAmount'),
    expectedCloseFrom: parseOptionalDate(raw.expectedCloseFrom, 'filter.expectedCloseFrom'),
    expectedCloseTo: parseOptionalDate(raw.expectedCloseTo, 'filter.expectedCloseTo'),
    search: parseText(raw.search, 'filter.search', { maxLength: 200 }),
    sizeBand: parseKeys(raw.sizeBand, 'filter.sizeBand'),
    stalled: raw.stalled ?? null,
    leadSource: parseList(raw.leadSource, LEAD_SOURCES, 'filter.leadSource'),
    includeDeferred: raw.includeDeferred ?? null,
    archived: raw.archived ?? null,
    accountId: parseOptionalId(raw.accountId, 'filter.accountId'),
  };
  return filter;
}

export function parseSort(raw: { field: unknown; direction?: unknown } | null | undefined): SortOrder {
  if (!raw) return DEFAULT_SORT;
  if (!isOneOf(SORT_FIELDS, raw.field)) throw badInput('orderBy.field', `orderBy.field must be one of ${SORT_FIELDS.join(', ')}`);
  const direction = raw.direction ?? 'DESC';
  if (direction !== 'ASC' && direction !== 'DESC') throw badInput('orderBy.direction', 'orderBy.direction must be ASC or DESC');
  return { field: raw.field, direction };
}

export async function listVisibleOpportunities(
  deps: OpportunityDeps,
  actor: Actor,
  args: { filter?: RawOpportunityFilter | null; first?: number | null; after?: string | null; orderBy?: { field: unknown; direction?: unknown } | null },
): Promise<Connection<Opportunity>> {
  const filter = parseOpportunityFilter(args.filter);
  const sort = parseSort(args.orderBy);
  const manager = deps.dataSource.manager;
  const page = await listOpportunities(
    manager,
    filter,
    visibilityOf(actor),
    await sizeBandsFor(manager, filter),
    sort,
    pageSize(args.first),
    args.after ?? null,
    deps.now(),
  );
  return toConnection(page, (opportunity) => opportunityCursor(opportunity, sort));
}

export async function getVisibleOpportunity(loaders: OpportunityLoaders, actor: Actor, rawId: unknown): Promise<Opportunity | null> {
  const opportunity = await loaders.opportunity.load(parseId(rawId, 'id'));
  return opportunity && canRead(actor, opportunity) ? opportunity : null;
}
