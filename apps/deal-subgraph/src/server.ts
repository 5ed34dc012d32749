import path from 'node:path';

import { TOPICS } from '@pipeline/events';
import { MESSAGING_MIGRATIONS } from '@pipeline/persistence';
import {
  createSubgraphServer,
  leadPersonalDataOpener,
  loadSchemaFiles,
  type PersonalDataOpener,
  type ServiceConfig,
  type ServiceDefinition,
} from '@pipeline/server-kit';
import type { DataSource } from 'typeorm';

import { createDealContext } from './context';
import { DEAL_ENTITIES } from './persistence/entities';
import { MIGRATIONS } from './persistence/migrations';
import { resolvers } from './resolvers';
import { type DealDeps, type DealSettings, DEFAULT_DEAL_SETTINGS } from './use-cases/deps';
import { scrubLeadPersonOnLeadErased } from './use-cases/erase-lead-person/scrub-lead-person-on-lead-erased';
import { updateLeadNeedOnLeadEvent } from './use-cases/sync-snapshots/update-lead-need-on-lead-event';
import { updateOpportunitySnapshotOnOpportunityEvent } from './use-cases/sync-snapshots/update-opportunity-snapshot-on-opportunity-event';
import { updateOpportunitySnapshotOnStageChanged } from './use-cases/sync-snapshots/update-opportunity-snapshot-on-stage-changed';
import { updateRepSnapshotOnRepEvent } from './use-cases/sync-snapshots/update-rep-snapshot-on-rep-event';

export const SERVICE_NAME = 'deal-subgraph';
export const typeDefs = loadSchemaFiles(path.join(__dirname, 'schema'));

export interface DealServiceOptions {
  config: Pick<ServiceConfig, 'internalSecret' | 'production'>;
  settings?: Partial<DealSettings>;
  now?: () => Date;
  // Where lead people are opened; by default the lead service at LEAD_SUBGRAPH_URL.
  personalData?: PersonalDataOpener;
}

const personalDataOf = (options: DealServiceOptions): PersonalDataOpener =>
  options.personalData ?? leadPersonalDataOpener(SERVICE_NAME, options.config.internalSecret);

export const dealDeps = (dataSource: DataSource, options: DealServiceOptions): DealDeps => ({
  dataSource,
  now: options.now ?? (() => new Date()),
  settings: { ...DEFAULT_DEAL_SETTINGS, ...options.settings },
  personalData: personalDataOf(options),
});

// Proposals, terms and approvals, commitments and outcomes; asks the opportunity service for stage moves by publishing facts.
export function dealService(serviceOptions: DealServiceOptions): ServiceDefinition {
  // One opener for the service, not one per request.
  const options = { ...serviceOptions, personalData: personalDataOf(serviceOptions) };
  return {
    serviceName: SERVICE_NAME,
    entities: DEAL_ENTITIES,
    migrations: [...MESSAGING_MIGRATIONS, ...MIGRATIONS],
    consumers: () => [
      {
        groupId: 'deal-subgraph.opportunities',
        topics: [TOPICS.stageChanged, TOPICS.opportunityEvents, TOPICS.repEvents, TOPICS.leadEvents],
        handlers: {
          'sales.opportunity.stage_changed.v1': updateOpportunitySnapshotOnStageChanged,
          'sales.opportunity.created.v1': updateOpportunitySnapshotOnOpportunityEvent,
          'sales.opportunity.updated.v1': updateOpportunitySnapshotOnOpportunityEvent,
          'sales.opportunity.archived.v1': updateOpportunitySnapshotOnOpportunityEvent,
          'sales.opportunity.restored.v1': updateOpportunitySnapshotOnOpportunityEvent,
          'sales.rep.registered.v1': updateRepSnapshotOnRepEvent,
          'sales.rep.updated.v1': updateRepSnapshotOnRepEvent,
          'sales.lead.created.v1': updateLeadNeedOnLeadEvent,
          'sales.lead.qualified.v1': updateLeadNeedOnLeadEvent,
          'sales.lead.disqualified.v1': updateLeadNeedOnLeadEvent,
          'sales.lead.converted.v1': updateLeadNeedOnLeadEvent,
          'sales.lead.erased.v1': scrubLeadPersonOnLeadErased,
        },
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
        createContext: (actor) => createDealContext(actor, dealDeps(dataSource, options)),
      }),
  };
}
