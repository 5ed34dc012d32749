import { type Actor, badInput, canRead, isOneOf, LEAD_SOURCES, LEAD_STATUSES, parseId, parseInteger, parseText, visibilityOf } from '@pipeline/domain';
import { type Connection, pageSize, toConnection } from '@pipeline/persistence';

import type { LeadLoaders } from '../../context';
import type { Lead } from '../../domain/lead';
import { leadCursor, type LeadListFilter, listLeads } from '../../persistence/lead-repository';
import type { LeadDeps } from '../deps';

export interface RawLeadFilter {
  status?: readonly unknown[] | null;
  source?: readonly unknown[] | null;
  ownerId?: unknown;
  industry?: unknown;
  region?: unknown;
  minScore?: unknown;
  search?: unknown;
  unassigned?: boolean | null;
  archived?: boolean | null;
}

function parseFilter(raw: RawLeadFilter | null | undefined): LeadListFilter {
  if (!raw) return {};
  const status = raw.status?.map((value, index) => {
    if (!isOneOf(LEAD_STATUSES, value)) throw badInput(`filter.status[${index}]`, 'unknown lead status');
    return value;
  });
  const source = raw.source?.map((value, index) => {
    if (!isOneOf(LEAD_SOURCES, value)) throw badInput(`filter.source[${index}]`, 'unknown lead source');
    return value;
  });
  return {
    status,
    source,
    ownerId: raw.ownerId === null || raw.ownerId === undefined ? null : parseId(raw.ownerId, 'filter.ownerId'),
    industry: parseText(raw.industry, 'filter.industry', { maxLength: 100 }),
    region: parseText(raw.region, 'filter.region', { maxLength: 100 }),
    minScore: raw.minScore === null || raw.minScore === undefined ? null : parseInteger(raw.minScore, 'filter.minScore', 0, 100),
    search: parseText(raw.search, 'filter.search', { maxLength: 200 }),
    unassigned: raw.unassigned ?? null,
    archived: raw.archived ?? null,
  };
}

// Lists only what the caller may see; totalCount counts the same rows.
export async function listVisibleLeads(
  deps: LeadDeps,
  actor: Actor,
  args: { filter?: RawLeadFilter | null; first?: number | null; after?: string | null },
): Promise<Connection<Lead>> {
  const filter = parseFilter(args.filter);
  const page = await listLeads(deps.dataSource.manager, filter, visibilityOf(actor), pageSize(args.first), args.after ?? null);
  return toConnection(page, leadCursor);
}

export async function getVisibleLead(loaders: LeadLoaders, actor: Actor, rawId: unknown): Promise<Lead | null> {
  const lead = await loaders.lead.load(parseId(rawId, 'id'));
  return lead && canRead(actor, lead) ? lead : null;
}
