import path from 'node:path';

import { SYSTEM_ACTOR } from '@pipeline/domain';
import { TOPICS } from '@pipeline/events';
import { MESSAGING_MIGRATIONS } from '@pipeline/persistence';
import { createSubgraphServer, IntervalJob, loadSchemaFiles, type ServiceConfig, type ServiceDefinition } from '@pipeline/server-kit';
import type { DataSource } from 'typeorm';

import { createLeadContext } from './context';
import { LEAD_ENTITIES } from './persistence/entities';
import { MIGRATIONS } from './persistence/migrations';
import { resolvers } from './resolvers';
import { DEFAULT_LEAD_SETTINGS, type LeadDeps, type LeadSettings } from './use-cases/deps';
import { markLeadConvertedOnOpportunityCreated } from './use-cases/mark-lead-converted/mark-lead-converted-on-opportunity-created';
import { mountOpenPersonalData } from './use-cases/open-personal-data/open-personal-data';
import { reassignStaleLeads } from './use-cases/reassign-stale-leads/reassign-stale-leads';

export const SERVICE_NAME = 'lead-subgraph';
export const typeDefs = loadSchemaFiles(path.join(__dirname, 'schema'));

export interface LeadServiceOptions {
  config: Pick<ServiceConfig, 'internalSecret' | 'production'>;
  settings?: Partial<LeadSettings>;
  slaCheckIntervalMs?: number;
  now?: () => Date;
}

export const leadDeps = (dataSource: DataSource, options: LeadServiceOptions): LeadDeps => ({
  dataSource,
  now: options.now ?? (() => new Date()),
  settings: { ...DEFAULT_LEAD_SETTINGS, ...options.settings },
});

// Leads, reps, qualification, scoring and assignment; consumes opportunity events to mark leads converted.
export function leadService(options: LeadServiceOptions): ServiceDefinition {
  return {
    serviceName: SERVICE_NAME,
    entities: LEAD_ENTITIES,
    migrations: [...MESSAGING_MIGRATIONS, ...MIGRATIONS],
    consumers: () => [
      {
        groupId: 'lead-subgraph.opportunity-events',
        topics: [TOPICS.opportunityEvents],
        handlers: { 'sales.opportunity.created.v1': markLeadConvertedOnOpportunityCreated },
      },
    ],
    server: (dataSource, runtime) =>
      createSubgraphServer({
        serviceName: SERVICE_NAME,
        typeDefs,
        resolvers,
        internalSecret: options.config.internalSecret,
        production: options.config.production,
        logger: runtime.logger,
        readiness: runtime.ready,
        healthDetails: runtime.details,
        createContext: (actor) => createLeadContext(actor, leadDeps(dataSource, options)),
        routes: (app) => mountOpenPersonalData(app, dataSource, options.config.internalSecret, runtime.logger),
      }),
    jobs: (dataSource, logger) => [
      new IntervalJob(
        'reassign-stale-leads',
        options.slaCheckIntervalMs ?? 15 * 60_000,
        () => reassignStaleLeads(leadDeps(dataSource, options), SYSTEM_ACTOR),
        logger,
      ),
    ],
  };
}
