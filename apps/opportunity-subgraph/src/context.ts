import type { Actor } from '@pipeline/domain';
import { DataLoader, groupedLoader, keyedLoader } from '@pipeline/server-kit';
import type { DataSource } from 'typeorm';

import type { Account, Contact, OpportunityContact } from './domain/account';
import type { Activity, Opportunity, StageTransition } from './domain/opportunity';
import type { Pipeline } from './domain/pipeline';
import type { DealSizeBand } from './domain/size-bands';
import { contactsOfAccounts, contactsOfOpportunities, findAccountsByIds } from './persistence/account-repository';
import { activitiesByOpportunityIds, findOpportunitiesByIds, transitionsByOpportunityIds } from './persistence/opportunity-repository';
import { loadPipelines } from './persistence/pipeline-repository';
import { loadSizeBands } from './persistence/snapshot-repository';
import type { OpportunityDeps } from './use-cases/deps';

export interface OpportunityLoaders {
  opportunity: DataLoader<string, Opportunity | null>;
  pipeline: DataLoader<string, Pipeline | null>;
  // One loader per page size asked for, so each stays one statement per batch with its per-opportunity limit.
  history: (first: number) => DataLoader<string, StageTransition[]>;
  activities: (first: number) => DataLoader<string, Activity[]>;
  sizeBands: () => Promise<DealSizeBand[]>;
  account: DataLoader<string, Account | null>;
  opportunityContacts: DataLoader<string, Array<OpportunityContact & { contact: Contact }>>;
  accountContacts: DataLoader<string, Contact[]>;
}

export interface OpportunityContext {
  actor: Actor;
  deps: OpportunityDeps;
  loaders: OpportunityLoaders;
}

function perLimit<V>(create: (first: number) => DataLoader<string, V>): (first: number) => DataLoader<string, V> {
  const loaders = new Map<number, DataLoader<string, V>>();
  return (first) => {
    const loader = loaders.get(first) ?? create(first);
    loaders.set(first, loader);
    return loader;
  };
}

// Per-request batching: an _entities call for 100 opportunities is one SQL statement, not 100.
export function createLoaders(dataSource: DataSource): OpportunityLoaders {
  const manager = dataSource.manager;
  let bands: Promise<DealSizeBand[]> | null = null;
  return {
    opportunity: keyedLoader(
      (ids) => findOpportunitiesByIds(manager, ids),
      (opportunity) => opportunity.id,
    ),
    pipeline: keyedLoader(
      (ids) => loadPipelines(manager, ids),
      (pipeline) => pipeline.id,
    ),
    history: perLimit((first) =>
      groupedLoader(
        (ids) => transitionsByOpportunityIds(manager, ids, first),
        (transition) => transition.opportunityId,
      ),
    ),
    activities: perLimit((first) =>
      groupedLoader(
        (ids) => activitiesByOpportunityIds(manager, ids, first),
        (activity) => activity.opportunityId,
      ),
    ),
    sizeBands: () => (bands ??= loadSizeBands(manager)),
    account: keyedLoader(
      (ids) => findAccountsByIds(manager, ids),
      (account) => account.id,
    ),
    opportunityContacts: groupedLoader(
      (ids) => contactsOfOpportunities(manager, ids),
      (link) => link.opportunityId,
    ),
    accountContacts: groupedLoader(
      (ids) => contactsOfAccounts(manager, ids),
      (contact) => contact.accountId as string,
    ),
  };
}

export const createOpportunityContext = (actor: Actor, deps: OpportunityDeps): OpportunityContext => ({ actor, deps, loaders: createLoaders(deps.dataSource) });
