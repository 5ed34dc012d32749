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

import { createOpportunityContext } from './context';
import { OPPORTUNITY_ENTITIES } from './persistence/entities';
import { MIGRATIONS } from './persistence/migrations';
import { resolvers } from './resolvers';
import { closeOpportunityOnDealClosed } from './use-cases/apply-deal-facts/close-opportunity-on-deal-closed';
import { moveToNegotiationOnDealTermsSet } from './use-cases/apply-deal-facts/move-to-negotiation-on-deal-terms-set';
import { moveToProposalOnProposalSent } from './use-cases/apply-deal-facts/move-to-proposal-on-proposal-sent';
import { reopenOpportunityOnDealReopened } from './use-cases/apply-deal-facts/reopen-opportunity-on-deal-reopened';
import { DEFAULT_OPPORTUNITY_SETTINGS, type OpportunityDeps, type OpportunitySettings } from './use-cases/deps';
import { eraseLeadContactOnLeadErased } from './use-cases/erase-contact/erase-lead-contact-on-lead-erased';
import { scrubLeadPersonOnLeadErased } from './use-cases/erase-lead-person/scrub-lead-person-on-lead-erased';
import { updateLeadSnapshotOnLeadEvent } from './use-cases/sync-snapshots/update-lead-snapshot-on-lead-event';
import { updateRepSnapshotOnRepEvent } from './use-cases/sync-snapshots/update-rep-snapshot-on-rep-event';

export const SERVICE_NAME = 'opportunity-subgraph';
export const typeDefs = loadSchemaFiles(path.join(__dirname, 'schema'));

export interface OpportunityServiceOptions {
  config: Pick<ServiceConfig, 'internalSecret' | 'production'>;
  settings?: Partial<OpportunitySettings>;
  now?: () => Date;
  // Where lead people are opened; by default the lead service at LEAD_SUBGRAPH_URL.
  personalData?: PersonalDataOpener;
}

const personalDataOf = (options: OpportunityServiceOptions): PersonalDataOpener =>
  options.personalData ?? leadPersonalDataOpener(SERVICE_NAME, options.config.internalSecret);

export const opportunityDeps = (dataSource: DataSource, options: OpportunityServiceOptions): OpportunityDeps => ({
  dataSource,
  now: options.now ?? (() => new Date()),
  settings: { ...DEFAULT_OPPORTUNITY_SETTINGS, ...options.settings },
  personalData: personalDataOf(options),
});

// Opportunities, pipelines and stage gates: the single writer of stage.
export function opportunityService(serviceOptions: OpportunityServiceOptions): ServiceDefinition {
  // One opener for the service, not one per request.
  const options = { ...serviceOptions, personalData: personalDataOf(serviceOptions) };
  return {
    serviceName: SERVICE_NAME,
    entities: OPPORTUNITY_ENTITIES,
    migrations: [...MESSAGING_MIGRATIONS, ...MIGRATIONS],
    consumers: () => [
      {
        groupId: 'opportunity-subgraph.lead-events',
        topics: [TOPICS.leadEvents, TOPICS.repEvents],
        handlers: {
          'sales.lead.created.v1': updateLeadSnapshotOnLeadEvent,
          'sales.lead.assigned.v1': updateLeadSnapshotOnLeadEvent,
          'sales.lead.qualified.v1': updateLeadSnapshotOnLeadEvent,
          'sales.lead.disqualified.v1': updateLeadSnapshotOnLeadEvent,
          'sales.lead.converted.v1': updateLeadSnapshotOnLeadEvent,
          'sales.lead.updated.v1': updateLeadSnapshotOnLeadEvent,
          'sales.lead.archived.v1': updateLeadSnapshotOnLeadEvent,
          'sales.lead.restored.v1': updateLeadSnapshotOnLeadEvent,
          'sales.lead.merged.v1': updateLeadSnapshotOnLeadEvent,
          // One transaction: the scrubber first (it waits for a conversion under way), then the contact's key and fact.
          'sales.lead.erased.v1': async (event, manager) => {
            await scrubLeadPersonOnLeadErased(event, manager);
            await eraseLeadContactOnLeadErased(event, manager);
          },
          'sales.rep.registered.v1': updateRepSnapshotOnRepEvent,
          'sales.rep.updated.v1': updateRepSnapshotOnRepEvent,
        },
      },
      {
        groupId: 'opportunity-subgraph.deal-events',
        topics: [TOPICS.dealEvents],
        handlers: {
          'sales.proposal.sent.v1': moveToProposalOnProposalSent,
          'sales.deal.terms_set.v1': moveToNegotiationOnDealTermsSet,
          'sales.deal.closed.v1': closeOpportunityOnDealClosed,
          'sales.deal.reopened.v1': reopenOpportunityOnDealReopened,
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
        createContext: (actor) => createOpportunityContext(actor, opportunityDeps(dataSource, options)),
      }),
  };
}
