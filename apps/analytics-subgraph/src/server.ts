import path from 'node:path';

import { isDomainError } from '@pipeline/domain';
import { TOPICS, type TypedCloudEvent } from '@pipeline/events';
import type { ChunkContext, EventHandlers } from '@pipeline/messaging';
import { MESSAGING_MIGRATIONS } from '@pipeline/persistence';
import { createSubgraphServer, IntervalJob, loadSchemaFiles, type ServiceConfig, type ServiceDefinition } from '@pipeline/server-kit';
import type { DataSource, EntityManager } from 'typeorm';

import { nextFoldAt } from './domain/fold-pacing';
import { foldPendingContributions } from './persistence/kpi-rollups';
import { MIGRATIONS } from './persistence/migrations';
import { resolvers } from './resolvers';
import { buildReport, REPORT_DIMENSIONS, reportCsv, type ReportDimension } from './use-cases/build-report/build-report';
import type { AnalyticsDeps } from './use-cases/deps';
import { projectDealOnDealEvent } from './use-cases/project-facts/project-deal-on-deal-event';
import { projectLeadOnLeadEvent } from './use-cases/project-facts/project-lead-on-lead-event';
import { projectOpportunityOnOpportunityEvent } from './use-cases/project-facts/project-opportunity-on-opportunity-event';
import { projectRepOnRepEvent } from './use-cases/project-facts/project-rep-on-rep-event';
import { projectStageChangeOnStageChanged } from './use-cases/project-facts/project-stage-change-on-stage-changed';
import { recordActivityOnActivityLogged } from './use-cases/project-facts/record-activity-on-activity-logged';
import { recordChangeOnProcessEvent } from './use-cases/project-facts/record-change-on-process-event';
import { recordObjectionOnObjectionRecorded } from './use-cases/project-facts/record-objection-on-objection-recorded';
import { recordRefusalOnStageMoveRefused } from './use-cases/project-facts/record-refusal-on-stage-move-refused';
import { recordRevisionOnOpportunityEvent } from './use-cases/project-facts/record-revision-on-opportunity-event';
import { snapshotForecasts } from './use-cases/snapshot-forecasts/snapshot-forecasts';
import { ensureWeeklySummary } from './use-cases/summarize-week/summarize-week';

export const SERVICE_NAME = 'analytics-subgraph';
export const typeDefs = loadSchemaFiles(path.join(__dirname, 'schema'));

export interface AnalyticsServiceOptions {
  config: Pick<ServiceConfig, 'internalSecret' | 'production'>;
  // A rebuild replays the topics into fresh tables under a new consumer group.
  consumerGroup?: string;
  weeklyJobIntervalMs?: number;
  foldIntervalMs?: number;
  now?: () => Date;
  // Percentiles are computed exactly from the facts when at most this many values are in scope, else from histograms.
  exactPercentileLimit?: number;
}

export const analyticsDeps = (dataSource: DataSource, options: AnalyticsServiceOptions): AnalyticsDeps => ({
  dataSource,
  now: options.now ?? (() => new Date()),
  exactPercentileLimit: options.exactPercentileLimit ?? 1_000,
});

// The latest state and, for time travel, the revision history, in the same transaction.
async function projectOpportunityAndRevision(
  event: TypedCloudEvent<'sales.opportunity.created.v1'> | TypedCloudEvent<'sales.opportunity.updated.v1'>,
  manager: EntityManager,
  chunk: ChunkContext,
): Promise<void> {
  await projectOpportunityOnOpportunityEvent(event, manager, chunk);
  await recordRevisionOnOpportunityEvent(event, manager, chunk);
}

// Read models from every topic; analytics never calls another service.
export const ANALYTICS_HANDLERS: EventHandlers = {
  'sales.opportunity.stage_changed.v1': projectStageChangeOnStageChanged,
  'sales.opportunity.created.v1': projectOpportunityAndRevision,
  'sales.opportunity.updated.v1': projectOpportunityAndRevision,
  'sales.opportunity.archived.v1': projectOpportunityOnOpportunityEvent,
  'sales.opportunity.restored.v1': projectOpportunityOnOpportunityEvent,
  'sales.lead.archived.v1': projectLeadOnLeadEvent,
  'sales.lead.restored.v1': projectLeadOnLeadEvent,
  'sales.lead.merged.v1': projectLeadOnLeadEvent,
  'sales.lead.created.v1': projectLeadOnLeadEvent,
  'sales.lead.assigned.v1': projectLeadOnLeadEvent,
  'sales.lead.qualified.v1': projectLeadOnLeadEvent,
  'sales.lead.disqualified.v1': projectLeadOnLeadEvent,
  'sales.lead.converted.v1': projectLeadOnLeadEvent,
  'sales.lead.updated.v1': projectLeadOnLeadEvent,
  'sales.deal.closed.v1': projectDealOnDealEvent,
  'sales.deal.reopened.v1': projectDealOnDealEvent,
  'sales.rep.registered.v1': projectRepOnRepEvent,
  'sales.rep.updated.v1': projectRepOnRepEvent,
  'sales.opportunity.stage_move_refused.v1': recordRefusalOnStageMoveRefused,
  'sales.opportunity.activity_logged.v1': recordActivityOnActivityLogged,
  'sales.pipeline.revised.v1': recordChangeOnProcessEvent,
  'sales.qualification.criteria_changed.v1': recordChangeOnProcessEvent,
  'sales.scoring.model_activated.v1': recordChangeOnProcessEvent,
  'sales.deal.objection_recorded.v1': recordObjectionOnObjectionRecorded,
};

export const ANALYTICS_TOPICS = [TOPICS.stageChanged, TOPICS.opportunityEvents, TOPICS.leadEvents, TOPICS.dealEvents, TOPICS.repEvents];

// The background fold, resting after each fold in proportion to how long it took (see fold-pacing.ts).
function pacedFold(dataSource: DataSource): () => Promise<void> {
  let notBefore = 0;
  return async () => {
    if (Date.now() < notBefore) return;
    const startedAt = Date.now();
    if ((await foldPendingContributions(dataSource.manager)) > 0) notBefore = nextFoldAt({ startedAt, endedAt: Date.now() });
  };
}

export function analyticsService(options: AnalyticsServiceOptions): ServiceDefinition {
  return {
    serviceName: SERVICE_NAME,
    entities: [],
    migrations: [...MESSAGING_MIGRATIONS, ...MIGRATIONS],
    // Raw KPI paths sort and hash read-model tables: 4 MB, the default, spills to disk at 100k opportunities. JIT off: it
    // compiled projection statements whose estimates are inflated on fresh tables, for hundreds of ms each (profiled).
    sessionSettings: { work_mem: '32MB', jit: 'off' },
    // Set-based projections: a backlog (a rebuild, a restart) is applied thousands of events per transaction.
    consumers: () => [
      {
        groupId: options.consumerGroup ?? 'analytics-subgraph',
        topics: ANALYTICS_TOPICS,
        handlers: ANALYTICS_HANDLERS,
        chunkSize: 3_000,
        maxBytesPerPartition: 4_194_304,
        // A fetch brings batches of up to fifteen partitions; applied one after the other, a stage change waited for every
        // batch ahead of it. Projections of different opportunities and leads run side by side (withKpiContributions).
        partitionsConsumedConcurrently: 3,
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
        createContext: (actor) => ({ actor, deps: analyticsDeps(dataSource, options) }),
        // Reports as CSV for spreadsheets; the gateway forwards /exports/reports/<dimension>.csv here with the caller's identity.
        routes: (app, authenticate) => {
          app.get('/reports/:dimension.csv', async (request, response) => {
            try {
              const actor = await authenticate(request);
              const dimension = String(request.params.dimension).toUpperCase();
              const query = request.query as Record<string, string | undefined>;
              const rows = await buildReport(analyticsDeps(dataSource, options), actor, {
                dimension,
                filter: { from: query.from, to: query.to, teamId: query.teamId, industry: query.industry, pipelineId: query.pipelineId },
              });
              response
                .type('text/csv')
                .attachment(`report-${dimension.toLowerCase()}.csv`)
                .send(reportCsv(dimension as ReportDimension, rows));
            } catch (error) {
              const code = isDomainError(error) ? error.code : ((error as { extensions?: { code?: string } }).extensions?.code ?? 'INTERNAL_SERVER_ERROR');
              const status = { UNAUTHENTICATED: 401, FORBIDDEN: 403, BAD_USER_INPUT: 400, NOT_FOUND: 404 }[code] ?? 500;
              response
                .status(status)
                .json({ error: { code, message: status === 500 ? 'Internal server error' : (error as Error).message, dimensions: REPORT_DIMENSIONS } });
            }
          });
        },
      }),
    jobs: (dataSource, logger) => [
      new IntervalJob('weekly-summary', options.weeklyJobIntervalMs ?? 60 * 60_000, () => ensureWeeklySummary(analyticsDeps(dataSource, options)), logger),
      // The schema's promise: this week's forecast (company, teams, reps) is stored once a week without anyone asking.
      new IntervalJob(
        'weekly-forecast-snapshot',
        options.weeklyJobIntervalMs ?? 60 * 60_000,
        () => snapshotForecasts(analyticsDeps(dataSource, options)),
        logger,
      ),
      // Contributions of a backlog's large chunks are folded beside ingestion (queries count them until then).
      new IntervalJob('kpi-fold', options.foldIntervalMs ?? 250, pacedFold(dataSource), logger),
    ],
  };
}
