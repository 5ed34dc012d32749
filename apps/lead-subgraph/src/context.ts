import type { Actor } from '@pipeline/domain';
import { DataLoader, groupedLoader, keyedLoader } from '@pipeline/server-kit';
import type { DataSource } from 'typeorm';

import type { Lead, LeadActivity } from './domain/lead';
import type { SalesRep } from './domain/sales-rep';
import { activitiesByLeadIds, findLeadsByIds, openLeadCounts } from './persistence/lead-repository';
import { findRepsByIds } from './persistence/rep-repository';
import type { LeadDeps } from './use-cases/deps';

export interface LeadLoaders {
  lead: DataLoader<string, Lead | null>;
  rep: DataLoader<string, SalesRep | null>;
  openLeadCount: DataLoader<string, number>;
  // One loader per page size: each is one statement per batch, with that many activities at most per lead.
  activities: (limit: number) => DataLoader<string, LeadActivity[]>;
}

export interface LeadContext {
  actor: Actor;
  deps: LeadDeps;
  loaders: LeadLoaders;
}

// Loaders live for one request: batching without a cache that could serve stale or unauthorised rows later.
export function createLoaders(dataSource: DataSource): LeadLoaders {
  const manager = dataSource.manager;
  const activityLoaders = new Map<number, DataLoader<string, LeadActivity[]>>();
  return {
    lead: keyedLoader(
      (ids) => findLeadsByIds(manager, ids),
      (lead) => lead.id,
    ),
    rep: keyedLoader(
      (ids) => findRepsByIds(manager, ids),
      (rep) => rep.id,
    ),
    openLeadCount: new DataLoader(async (ids) => {
      const counts = await openLeadCounts(manager, ids);
      return ids.map((id) => counts.get(id) ?? 0);
    }),
    activities: (limit) => {
      const existing = activityLoaders.get(limit);
      if (existing) return existing;
      const loader = groupedLoader(
        (ids: readonly string[]) => activitiesByLeadIds(manager, ids, limit),
        (activity) => activity.leadId,
      );
      activityLoaders.set(limit, loader);
      return loader;
    },
  };
}

export const createLeadContext = (actor: Actor, deps: LeadDeps): LeadContext => ({ actor, deps, loaders: createLoaders(deps.dataSource) });
