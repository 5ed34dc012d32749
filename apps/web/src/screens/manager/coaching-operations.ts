import { graphql } from '../../graphql/generated';

// Activity per rep beside their team's, and the open deals waiting longest for a touch (the analytics graph scopes both).
export const ActivityCoachingQuery = graphql(`
  query ActivityCoaching($filter: MetricsFilter, $first: Int) {
    reps: activityRates(by: REP, filter: $filter) {
      from
      to
      rows {
        key
        activities
        perWeek
      }
    }
    teams: activityRates(by: TEAM, filter: $filter) {
      rows {
        key
        activities
        perWeek
      }
    }
    opportunityTouches(filter: $filter, first: $first) {
      opportunityId
      ownerId
      stage
      lastTouchAt
      neverTouched
      daysSinceLastTouch
    }
    salesReps {
      id
      name
      teamId
    }
  }
`);

// Analytics knows opportunities by id only: their names come from the opportunity graph, least recently touched first.
export const TouchNamesQuery = graphql(`
  query TouchNames($teamId: String, $first: Int) {
    opportunities(filter: { status: [OPEN], teamId: $teamId }, first: $first, orderBy: { field: LAST_ACTIVITY, direction: ASC }) {
      edges {
        node {
          id
          name
          accountName
          stage {
            name
          }
        }
      }
    }
  }
`);
