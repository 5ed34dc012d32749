import type { DataSource } from 'typeorm';
import type { Actor } from '@pipeline/domain';
import { DataLoader, groupedLoader, keyedLoader } from '@pipeline/server-kit';
import type { Activity, Opportunity, StageTransition } from './domain/opportunity';
import type { Pipeline } from './domain/pipeline';
import type { DealSizeBand } from './domain/size-bands';
import { activitiesByOpportunityIds, findOpportunitiesByIds, transitionsByOpportunityIds } from './persistence/opportunity-repository';
import { loadPipelines } from './persistence/pipeline-repository';
import { loadSizeBands } from './persistence/snapshot-repository';
import type { OpportunityDeps } from './use-cases/deps';

export interface OpportunityLoaders {
  opportunity: DataLoader<string, Opportunity | null>;
  pipeline: DataLoader<string, Pipeline | null>;
  history: DataLoader<string, StageTransition[]>;
  activities: DataLoader<string, Activity[]>;
  sizeBands: () => Promise<DealSizeBand[]>;
}

export interface OpportunityContext {
  actor: Actor;
  deps: OpportunityDeps;
  loaders: OpportunityLoaders;
}

// Per-request batching: an _entities call for 100 opportunities is one SQL statement, not 100.
export function createLoaders(dataSource: DataSource): OpportunityLoaders {
  const manager = dataSource.manager;
  let bands: Promise<DealSizeBand[]> | null = null;
  return {
    opportunity: keyedLoader((ids) => findOpportunitiesByIds(manager, ids), (opportunity) => opportunity.id),
    pipeline: keyedLoader((ids) => loadPipelines(manager, ids), (pipeline) => pipeline.id),
    history: groupedLoader((ids) => transitionsByOpportunityIds(manager, ids), (transition) => transition.opportunityId),
    activities: groupedLoader((ids) => activitiesByOpportunityIds(manager, ids), (activity) => activity.opportunityId),
    sizeBands: () => (bands ??= loadSizeBands(manager)),
  };
}

export const createOpportunityContext = (actor: Actor, deps: OpportunityDeps): OpportunityContext => ({ actor, deps, loaders: createLoaders(deps.dataSource) });
