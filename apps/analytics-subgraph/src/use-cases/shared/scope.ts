import { type Actor, badInput, hasRole, isOneOf, LEAD_SOURCES, parseDateTime, parseId, parseText, visibilityOf } from '@pipeline/domain';

import type { MetricsScope } from '../../domain/metrics-filter';

export interface RawMetricsFilter {
  pipelineId?: unknown;
  ownerIds?: readonly unknown[] | null;
  teamId?: unknown;
  industry?: unknown;
  source?: unknown;
  from?: unknown;
  to?: unknown;
}

// Aggregates obey row-level rules too: a rep's metrics cover their own opportunities, a manager's their team's.
export function metricsScope(actor: Actor, raw: RawMetricsFilter | null | undefined): MetricsScope {
  const filter = raw ?? {};
  if (filter.source !== null && filter.source !== undefined && !isOneOf(LEAD_SOURCES, filter.source)) throw badInput('filter.source', 'unknown lead source');
  const from = filter.from === null || filter.from === undefined ? null : parseDateTime(filter.from, 'filter.from');
  const to = filter.to === null || filter.to === undefined ? null : parseDateTime(filter.to, 'filter.to');
  if (from && to && from >= to) throw badInput('filter.to', 'filter.to must be after filter.from');
  if (filter.ownerIds && filter.ownerIds.length > 500) throw badInput('filter.ownerIds', 'at most 500 owners');
  return {
    pipelineId: filter.pipelineId === null || filter.pipelineId === undefined ? null : parseId(filter.pipelineId, 'filter.pipelineId'),
    ownerIds: filter.ownerIds ? filter.ownerIds.map((id, index) => parseId(id, `filter.ownerIds[${index}]`)) : null,
    teamId: parseText(filter.teamId, 'filter.teamId', { maxLength: 100 }),
    industry: parseText(filter.industry, 'filter.industry', { maxLength: 100 }),
    source: (filter.source as MetricsScope['source']) ?? null,
    from,
    to,
    visibility: visibilityOf(actor),
  };
}

export const isLeadership = (actor: Actor): boolean => hasRole(actor, 'ADMIN') || hasRole(actor, 'ANALYST') || hasRole(actor, 'MANAGER');
