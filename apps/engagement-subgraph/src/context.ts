import type { Actor } from '@pipeline/domain';
import { DataLoader, groupedLoader, keyedLoader } from '@pipeline/server-kit';
import type { DataSource } from 'typeorm';

import type { Task } from './domain/task';
import { findTask, tasksBySubjects } from './persistence/task-repository';
import type { EngagementDeps } from './use-cases/deps';

export interface EngagementLoaders {
  tasksByLead: DataLoader<string, Task[]>;
  tasksByOpportunity: DataLoader<string, Task[]>;
  task: DataLoader<string, Task | null>;
}

export interface EngagementContext {
  actor: Actor;
  deps: EngagementDeps;
  loaders: EngagementLoaders;
  // Production sends webhooks over https only.
  production: boolean;
}

// One statement per entity batch: a board of opportunities asking for nextActivityAt reads the tasks once.
export function createLoaders(dataSource: DataSource): EngagementLoaders {
  const manager = dataSource.manager;
  return {
    tasksByLead: groupedLoader(
      (ids) => tasksBySubjects(manager, 'lead_id', ids),
      (task) => task.leadId as string,
    ),
    tasksByOpportunity: groupedLoader(
      (ids) => tasksBySubjects(manager, 'opportunity_id', ids),
      (task) => task.opportunityId as string,
    ),
    task: keyedLoader(
      async (ids) => (await Promise.all(ids.map((id) => findTask(manager, id)))).filter((task): task is Task => task !== null),
      (task) => task.id,
    ),
  };
}

export const createEngagementContext = (actor: Actor, deps: EngagementDeps, production: boolean): EngagementContext => ({
  actor,
  deps,
  loaders: createLoaders(deps.dataSource),
  production,
});
