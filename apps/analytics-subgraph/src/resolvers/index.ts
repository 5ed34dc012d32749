import { scalarResolvers } from '@pipeline/server-kit';
import type { Resolvers } from '../generated/graphql';
import { buildReport } from '../use-cases/build-report/build-report';
import { coachReps } from '../use-cases/coach-reps/coach-reps';
import { countLostReasons } from '../use-cases/count-lost-reasons/count-lost-reasons';
import { forecastRevenue, listForecastSnapshots, takeForecastSnapshot } from '../use-cases/forecast-revenue/forecast-revenue';
import { getMetricsSeries } from '../use-cases/get-metrics-series/get-metrics-series';
import { getPipelineMetrics } from '../use-cases/get-pipeline-metrics/get-pipeline-metrics';
import { listOpportunityFieldChanges } from '../use-cases/list-opportunity-field-changes/list-opportunity-field-changes';
import { listStageChangeEvents } from '../use-cases/list-stage-change-events/list-stage-change-events';
import { listWeeklySummaries, summarizeWeek } from '../use-cases/summarize-week/summarize-week';

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
  },
  Mutation: {
    takeForecastSnapshot: (_parent, _args, { actor, deps }) => takeForecastSnapshot(deps, actor),
    generateWeeklySummary: (_parent, _args, { actor, deps }) => summarizeWeek(deps, actor),
  },
};
