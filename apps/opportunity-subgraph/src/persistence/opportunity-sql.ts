import { formatAmount, type LeadSource, type OpportunityStatus, toIsoDate, type Visibility } from '@pipeline/domain';
import { visibilityCondition } from '@pipeline/persistence';

import type { Opportunity } from '../domain/opportunity';
import type { DealSizeBand } from '../domain/size-bands';
import type { OpportunityListFilter } from './opportunity-repository';

// The hot reads (lists, the board, entity batches) as plain SQL mapped once from row to domain value: TypeORM's
// entity hydration cost more than PostgreSQL itself on a 50-row page.

// Every column an Opportunity needs, plus the owner's team for visibility; dates come as ISO text, as the contract has them.
export const OPPORTUNITY_COLUMNS = `o.id, o.name, o.account_name, o.account_id, o.industry, o.region, o.amount, o.currency, o.pipeline_id, o.stage_key,
  o.stage_entered_at, o.status, o.probability_override, o.expected_close_date::text AS expected_close_date, o.owner_id, owner.team_id AS owner_team_id,
  o.lead_id, o.lead_source, o.external_id, o.deferred_until::text AS deferred_until, o.archived_at, o.archived_reason, o.lost_reason, o.version,
  o.stage_sequence, o.last_activity_at, o.created_at, o.updated_at, o.closed_at`;

export const OPPORTUNITY_FROM = 'opportunity o LEFT JOIN rep_snapshot owner ON owner.id = o.owner_id';

// For conditions on the stage's settings (stalled, weighted amounts): one row per opportunity, as the key is the stage's primary key.
export const STAGE_JOIN = 'LEFT JOIN pipeline_stage ps ON ps.pipeline_id = o.pipeline_id AND ps.key = o.stage_key';

export interface OpportunitySqlRow {
  id: string;
  name: string;
  account_name: string;
  account_id: string | null;
  industry: string | null;
  region: string | null;
  amount: string | null;
  currency: string | null;
  pipeline_id: string;
  stage_key: string;
  stage_entered_at: Date;
  status: OpportunityStatus;
  probability_override: string | null;
  expected_close_date: string | null;
  owner_id: string | null;
  owner_team_id: string | null;
  lead_id: string | null;
  lead_source: LeadSource | null;
  external_id: string | null;
  deferred_until: string | null;
  archived_at: Date | null;
  archived_reason: string | null;
  lost_reason: string | null;
  version: number;
  stage_sequence: number;
  last_activity_at: Date | null;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

export function opportunityFromSql(row: OpportunitySqlRow): Opportunity {
  const code = row.currency === null ? null : row.currency.trim();
  return {
    id: row.id,
    name: row.name,
    accountName: row.account_name,
    accountId: row.account_id,
    industry: row.industry,
    region: row.region,
    amount: row.amount !== null && code !== null ? { amount: formatAmount(row.amount, code), currency: code } : null,
    pipelineId: row.pipeline_id,
    stageKey: row.stage_key,
    stageEnteredAt: row.stage_entered_at,
    status: row.status,
    probabilityOverride: row.probability_override === null ? null : Number(row.probability_override),
    expectedCloseDate: row.expected_close_date,
    ownerId: row.owner_id,
    ownerTeamId: row.owner_team_id,
    leadId: row.lead_id,
    leadSource: row.lead_source,
    externalId: row.external_id,
    deferredUntil: row.deferred_until,
    archivedAt: row.archived_at,
    archivedReason: row.archived_reason,
    lostReason: row.lost_reason,
    version: row.version,
    stageSequence: row.stage_sequence,
    lastActivityAt: row.last_activity_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
  };
}

// Binds a value and returns its placeholder: `$n` for raw SQL, `:name` for a query builder.
export type Bind = (value: unknown) => string;

export function positionalBinder(): { bind: Bind; values: unknown[] } {
  const values: unknown[] = [];
  return {
    values,
    bind: (value) => {
      values.push(value);
      return `$${values.length}`;
    },
  };
}

export const visibleOpportunity = (visibility: Visibility, bind: Bind): string =>
  visibilityCondition(visibility, { owner: 'o.owner_id', teamMembers: (team) => `SELECT id FROM rep_snapshot WHERE team_id = ${team}` }, bind);

// Whether the filter's conditions read the stage's settings (alias ps, joined with STAGE_JOIN).
export const filterNeedsStage = (filter: OpportunityListFilter): boolean => filter.stalled !== null && filter.stalled !== undefined;

// The list filter as one SQL condition over alias o (and ps when filterNeedsStage), shared by every read that filters.
export function filterCondition(filter: OpportunityListFilter, bands: DealSizeBand[], now: Date, bind: Bind): string {
  // Archived opportunities leave lists, the board and segments; filter.archived lists them alone.
  const conditions = [filter.archived ? 'o.archived_at IS NOT NULL' : 'o.archived_at IS NULL'];
  if (filter.pipelineId) conditions.push(`o.pipeline_id = ${bind(filter.pipelineId)}::uuid`);
  if (filter.accountId) conditions.push(`o.account_id = ${bind(filter.accountId)}::uuid`);
  if (filter.stage?.length) conditions.push(`o.stage_key = ANY(${bind(filter.stage)}::text[])`);
  if (filter.status?.length) conditions.push(`o.status = ANY(${bind(filter.status)}::text[])`);
  if (filter.ownerId) conditions.push(`o.owner_id = ${bind(filter.ownerId)}::uuid`);
  if (filter.teamId) conditions.push(`o.owner_id IN (SELECT id FROM rep_snapshot WHERE team_id = ${bind(filter.teamId)})`);
  if (filter.industry) conditions.push(`lower(o.industry) = lower(${bind(filter.industry)})`);
  if (filter.minAmount) conditions.push(`o.amount >= ${bind(filter.minAmount)}::numeric`);
  if (filter.maxAmount) conditions.push(`o.amount <= ${bind(filter.maxAmount)}::numeric`);
  if (filter.expectedCloseFrom) conditions.push(`o.expected_close_date >= ${bind(filter.expectedCloseFrom)}::date`);
  if (filter.expectedCloseTo) conditions.push(`o.expected_close_date <= ${bind(filter.expectedCloseTo)}::date`);
  if (filter.leadSource?.length) conditions.push(`o.lead_source = ANY(${bind(filter.leadSource)}::text[])`);
  if (filter.search) {
    const pattern = bind(`%${filter.search.replace(/[\\%_]/g, (match) => `\\${match}`)}%`);
    conditions.push(`(o.name ILIKE ${pattern} OR o.account_name ILIKE ${pattern})`);
  }
  if (filter.sizeBand?.length) {
    const selected = bands.filter((band) => filter.sizeBand?.includes(band.name));
    const alternatives = selected.map((band) => {
      const parts = ['o.amount IS NOT NULL'];
      if (band.minAmount !== null) parts.push(`o.amount >= ${bind(band.minAmount)}::numeric`);
      if (band.maxAmount !== null) parts.push(`o.amount < ${bind(band.maxAmount)}::numeric`);
      return `(${parts.join(' AND ')})`;
    });
    conditions.push(`(${['false', ...alternatives].join(' OR ')})`);
  }
  if (filter.includeDeferred === false || filterNeedsStage(filter)) {
    const today = bind(toIsoDate(now));
    if (filter.includeDeferred === false) conditions.push(`(o.deferred_until IS NULL OR o.deferred_until <= ${today}::date)`);
    if (filterNeedsStage(filter)) {
      const at = bind(now.toISOString());
      const stalled = `(o.status = 'OPEN' AND ps.stalled_after_days IS NOT NULL AND (o.deferred_until IS NULL OR o.deferred_until <= ${today}::date)
      AND o.stage_entered_at < ${at}::timestamptz - make_interval(days => ps.stalled_after_days)
      AND (o.last_activity_at IS NULL OR o.last_activity_at < ${at}::timestamptz - make_interval(days => ps.stalled_after_days)))`;
      conditions.push(filter.stalled ? stalled : `NOT ${stalled}`);
    }
  }
  return conditions.join(' AND ');
}
