import { graphql } from '../../graphql/generated';

export const HealthQuery = graphql(`
  query Health($filter: MetricsFilter, $bucket: TimeBucket!) {
    pipelineMetrics(filter: $filter) {
      pipelineSize {
        openCount
        openAmount {
          amount
          currency
        }
        weightedAmount {
          amount
          currency
        }
        byStage {
          stage
          count
          amount {
            amount
            currency
          }
        }
      }
      wonCount
      lostCount
      winRate
      averageDealValue {
        amount
        currency
      }
      salesCycle {
        count
        medianDays
        meanDays
        p90Days
      }
      stageConversions {
        fromStage
        toStage
        entered
        advanced
        rate
      }
      bottlenecks {
        stage
        openCount
        medianDaysInStage
        p90DaysInStage
        usualDaysInStage
        stalledCount
      }
    }
    pipelineMetricsSeries(filter: $filter, bucket: $bucket) {
      periodStart
      periodEnd
      metrics {
        wonCount
        lostCount
        winRate
        pipelineSize {
          openCount
        }
        salesCycle {
          medianDays
        }
      }
    }
    pipelines {
      id
      isDefault
      stages {
        key
        name
        category
      }
    }
  }
`);

export const ForecastQuery = graphql(`
  query Forecast($filter: MetricsFilter) {
    forecast(filter: $filter, simulations: 2000) {
      generatedAt
      simulations
      ranges {
        month
        currency
        p10
        p50
        p90
      }
    }
  }
`);

export const ReportQuery = graphql(`
  query Report($dimension: ReportDimension!, $filter: MetricsFilter) {
    report(dimension: $dimension, filter: $filter) {
      key
      openCount
      openAmount {
        amount
        currency
      }
      wonCount
      lostCount
      winRate
      averageDealValue {
        amount
        currency
      }
      medianCycleDays
    }
    salesReps {
      id
      name
    }
  }
`);

export const ForecastAccuracyQuery = graphql(`
  query ForecastAccuracy($level: ForecastLevel!) {
    forecastAccuracy(level: $level) {
      level
      key
      currency
      periods
      meanAbsoluteError
      weightedAbsolutePercentageError
      bias
      outcomes {
        withinRange
      }
    }
    salesReps {
      id
      name
    }
  }
`);

export const RateEstimateFieldsFragment = graphql(`
  fragment RateEstimateFields on RateEstimate {
    successes
    sample
    rate
    low
    high
  }
`);

export const GateFrictionQuery = graphql(`
  query GateFriction($filter: MetricsFilter) {
    gateFriction(filter: $filter) {
      criteria {
        criterion
        refusals
        opportunities
        stillBlocked
        medianDaysBlocked
      }
      blockedWinRate {
        ...RateEstimateFields
      }
      unblockedWinRate {
        ...RateEstimateFields
      }
    }
    stageCriteria {
      key
      description
    }
  }
`);

export const WhatChangedQuery = graphql(`
  query WhatChanged($from: DateTime!, $to: DateTime!) {
    pipelineWaterfall(from: $from, to: $to) {
      from
      to
      startOpen {
        amount
        currency
      }
      steps {
        kind
        count
        amount {
          amount
          currency
        }
      }
      endOpen {
        amount
        currency
      }
    }
    start: pipelineAsOf(at: $from) {
      openCount
    }
    end: pipelineAsOf(at: $to) {
      openCount
    }
  }
`);
