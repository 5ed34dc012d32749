import path from 'node:path';

import { TOPICS } from '@pipeline/events';
import type { EventHandlers } from '@pipeline/messaging';
import { MESSAGING_MIGRATIONS } from '@pipeline/persistence';
import {
  createSubgraphServer,
  IntervalJob,
  leadPersonalDataOpener,
  loadSchemaFiles,
  type PersonalDataOpener,
  type ServiceConfig,
  type ServiceDefinition,
} from '@pipeline/server-kit';
import type { DataSource } from 'typeorm';

import { createEngagementContext } from './context';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './domain/webhook';
import { ENGAGEMENT_ENTITIES } from './persistence/entities';
import { MIGRATIONS } from './persistence/migrations';
import { resolvers } from './resolvers';
import { composeDailyDigests } from './use-cases/compose-daily-digests/compose-daily-digests';
import { DEFAULT_DELIVERY_OPTIONS, deliverWebhooks } from './use-cases/deliver-webhooks/deliver-webhooks';
import type { EngagementDeps } from './use-cases/deps';
import { scrubLeadPersonOnLeadErased } from './use-cases/erase-lead-person/scrub-lead-person-on-lead-erased';
import { notifyDueTasks } from './use-cases/notify-due-tasks/notify-due-tasks';
import { notifyOnDealEvent } from './use-cases/notify-on-facts/notify-on-deal-event';
import { notifyOnLeadEvent } from './use-cases/notify-on-facts/notify-on-lead-event';
import { syncOpportunityOnOpportunityEvent } from './use-cases/notify-on-facts/sync-opportunity-on-opportunity-event';
import { syncRepOnRepEvent } from './use-cases/notify-on-facts/sync-rep-on-rep-event';
import { notifyStalledDeals } from './use-cases/notify-stalled-deals/notify-stalled-deals';

export const SERVICE_NAME = 'engagement-subgraph';
export const typeDefs = loadSchemaFiles(path.join(__dirname, 'schema'));

export interface EngagementServiceOptions {
  config: Pick<ServiceConfig, 'internalSecret' | 'production'>;
  snapshotWaitMs?: number;
  now?: () => Date;
  // How often the sweeps run (0: never, for tests that run them by hand).
  sweepIntervalMs?: number;
  // "Due soon" is told this long before a task's due time.
  dueSoonMs?: number;
  // An open opportunity is stalled after this many days in one stage (stage thresholds are not on the fact topics).
  stalledAfterDays?: number;
  // How often due webhook deliveries are sent (0: never), and how failures are retried before dead-lettering.
  webhookIntervalMs?: number;
  webhookRetry?: Partial<RetryPolicy>;
  // Where lead people are opened (to name them in notifications); by default the lead service at LEAD_SUBGRAPH_URL.
  personalData?: PersonalDataOpener;
}

// Where lead people are opened: the lead service by default.
const personalDataOf = (options: EngagementServiceOptions): PersonalDataOpener =>
  options.personalData ?? leadPersonalDataOpener(SERVICE_NAME, options.config.internalSecret);

export const engagementDeps = (dataSource: DataSource, options: EngagementServiceOptions): EngagementDeps => ({
  dataSource,
  now: options.now ?? (() => new Date()),
  snapshotWaitMs: options.snapshotWaitMs ?? 3_000,
  personalData: personalDataOf(options),
});

// Lead events name the person only sealed: an assignment's notification asks the lead service to open the name.
export const engagementHandlers = (personalData: PersonalDataOpener): EventHandlers => {
  const onLeadEvent = notifyOnLeadEvent(personalData);
  return {
    'sales.rep.registered.v1': syncRepOnRepEvent,
    'sales.rep.updated.v1': syncRepOnRepEvent,
    'sales.lead.created.v1': onLeadEvent,
    'sales.lead.assigned.v1': onLeadEvent,
    'sales.lead.qualified.v1': onLeadEvent,
    'sales.lead.disqualified.v1': onLeadEvent,
    'sales.lead.converted.v1': onLeadEvent,
    'sales.lead.updated.v1': onLeadEvent,
    'sales.lead.erased.v1': scrubLeadPersonOnLeadErased,
    'sales.opportunity.created.v1': syncOpportunityOnOpportunityEvent,
    'sales.opportunity.updated.v1': syncOpportunityOnOpportunityEvent,
    'sales.opportunity.stage_changed.v1': syncOpportunityOnOpportunityEvent,
    'sales.deal.terms_set.v1': notifyOnDealEvent,
    'sales.deal.discount_decided.v1': notifyOnDealEvent,
  };
};

export const ENGAGEMENT_TOPICS = [TOPICS.repEvents, TOPICS.leadEvents, TOPICS.opportunityEvents, TOPICS.stageChanged, TOPICS.dealEvents];

// Tasks on leads and opportunities, and each person's inbox of what needs them, from the fact topics.
export function engagementService(options: EngagementServiceOptions): ServiceDefinition {
  const sweepMs = options.sweepIntervalMs ?? 60_000;
  return {
    serviceName: SERVICE_NAME,
    entities: ENGAGEMENT_ENTITIES,
    migrations: [...MESSAGING_MIGRATIONS, ...MIGRATIONS],
    consumers: () => [
      {
        groupId: 'engagement-subgraph',
        topics: ENGAGEMENT_TOPICS,
        handlers: engagementHandlers(personalDataOf(options)),
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
        createContext: (actor) => createEngagementContext(actor, engagementDeps(dataSource, options), options.config.production),
      }),
    jobs: (dataSource, logger) => {
      const now = options.now ?? (() => new Date());
      return [
        new IntervalJob('notify-due-tasks', sweepMs, () => notifyDueTasks(dataSource, now(), options.dueSoonMs ?? 60 * 60_000), logger),
        new IntervalJob('notify-stalled-deals', sweepMs, () => notifyStalledDeals(dataSource, now(), options.stalledAfterDays ?? 14), logger),
        // Runs with the sweeps; the first run of a UTC day writes its digests, later runs find them written.
        new IntervalJob('compose-daily-digests', sweepMs, () => composeDailyDigests(dataSource, now()), logger),
        new IntervalJob(
          'deliver-webhooks',
          options.webhookIntervalMs ?? 1_000,
          () => deliverWebhooks(dataSource, new Date(), { ...DEFAULT_DELIVERY_OPTIONS, policy: { ...DEFAULT_RETRY_POLICY, ...options.webhookRetry } }),
          logger,
        ),
      ];
    },
  };
}
