import { scalarResolvers } from '@pipeline/server-kit';

import type { Resolvers } from '../generated/graphql';
import { buildReport } from '../use-cases/build-report/build-report';
import { coachReps } from '../use-cases/coach-reps/coach-reps';
import { compareProcessChange, listProcessChanges } from '../use-cases/compare-process-change/compare-process-change';
import { countLostReasons } from '../use-cases/count-lost-reasons/count-lost-reasons';
import { forecastRevenue, listForecastSnapshots, takeForecastSnapshot } from '../use-cases/forecast-revenue/forecast-revenue';
import { getMetricsSeries } from '../use-cases/get-metrics-series/get-metrics-series';
import { getPipelineMetrics } from '../use-cases/get-pipeline-metrics/get-pipeline-metrics';
import { linkObjections } from '../use-cases/link-objections/link-objections';
import { listOpportunityFieldChanges } from '../use-cases/list-opportunity-field-changes/list-opportunity-field-changes';
import { listStageChangeEvents } from '../use-cases/list-stage-change-events/list-stage-change-events';
import { findEngagementPatterns, listOpportunityTouches, measureActivityRates } from '../use-cases/measure-engagement/measure-engagement';
import { measureAccuracy } from '../use-cases/measure-forecast-accuracy/measure-forecast-accuracy';
import { measureGateFriction } from '../use-cases/measure-gate-friction/measure-gate-friction';
import { listWeeklySummaries, summarizeWeek } from '../use-cases/summarize-week/summarize-week';
import { pipelineAsOf, waterfallBetween } from '../use-cases/travel-pipeline/travel-pipeline';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: {
    pipelineMetrics: (_parent, { filter }, { actor, deps }) => getPipelineMetrics(deps, actor, filter),
    stageChangeEvents: (_parent, args, { actor, deps }) => listStageChangeEvents(deps, actor, args),
    opportunityFieldChanges: (_parent, args, { actor, deps }) => listOpportunityFieldChanges(deps, actor, args),
    pipelineMetricsSeries: (_parent, args, { actor, deps }) => getMetricsSeries(deps, actor, args),
    forecast: (_parent, args, { actor, deps }) => forecastRevenue(deps, actor, args),
    forecastSnapshots: (_parent, { first }, { actor, deps }) => listForecastSnapshots(deps, actor, { first }),
    report: (_parent, args, { actor, deps }) => buildReport(deps, actor, args),
    coachingInsights: (_parent, args, { actor, deps }) => coachReps(deps, actor, args),
    lostReasons: (_parent, args, { actor, deps }) => countLostReasons(deps, actor, args),
    weeklySummaries: (_parent, { first }, { actor, deps }) => listWeeklySummaries(deps, actor, first),
    forecastAccuracy: (_parent, args, { actor, deps }) => measureAccuracy(deps, actor, args),
    gateFriction: (_parent, args, { actor, deps }) => measureGateFriction(deps, actor, args),
    activityRates: (_parent, args, { actor, deps }) => measureActivityRates(deps, actor, args),
    opportunityTouches: (_parent, args, { actor, deps }) => listOpportunityTouches(deps, actor, args),
    engagementPatterns: (_parent, args, { actor, deps }) => findEngagementPatterns(deps, actor, args),
    pipelineAsOf: (_parent, args, { actor, deps }) => pipelineAsOf(deps, actor, args),
    pipelineWaterfall: (_parent, args, { actor, deps }) => waterfallBetween(deps, actor, args),
    processChanges: (_parent, args, { actor, deps }) => listProcessChanges(deps, actor, args),
    compareProcessChange: (_parent, args, { actor, deps }) => compareProcessChange(deps, actor, args),
    objectionOutcomes: (_parent, args, { actor, deps }) => linkObjections(deps, actor, args),
  },
  Mutation: {
    takeForecastSnapshot: (_parent, _args, { actor, deps }) => takeForecastSnapshot(deps, actor),
    generateWeeklySummary: (_parent, _args, { actor, deps }) => summarizeWeek(deps, actor),
  },
};
