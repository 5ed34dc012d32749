import { graphql } from '../../graphql/generated';

export const BoardSetupQuery = graphql(`
  query BoardSetup {
    pipelines {
      id
      name
      isDefault
      stages {
        key
        name
        position
        category
        probability
        stalledAfterDays
      }
    }
    stageCriteria {
      key
      description
    }
    dealSizeBands {
      name
    }
    salesReps {
      id
      name
      teamId
      role
    }
  }
`);

export const BoardQuery = graphql(`
  query Board($pipelineId: ID, $filter: OpportunityFilter, $cardsPerStage: Int) {
    pipelineBoard(pipelineId: $pipelineId, filter: $filter, cardsPerStage: $cardsPerStage, orderBy: { field: TIME_IN_STAGE, direction: DESC }) {
      totalCount
      pipeline {
        id
      }
      columns {
        stage {
          key
          name
          category
          probability
        }
        count
        amount {
          amount
          currency
        }
        weightedAmount {
          amount
          currency
        }
        hasMoreCards
        cards {
          id
          name
          accountName
          version
          status
          amount {
            amount
            currency
          }
          owner {
            id
            name
            teamId
          }
          daysInStage
          stalled
          lastActivityAt
          expectedCloseDate
          nextActivityAt
          overdueTaskCount
        }
      }
    }
  }
`);

export const MoveOpportunityMutation = graphql(`
  mutation MoveOpportunity($input: MoveOpportunityStageInput!) {
    moveOpportunityStage(input: $input) {
      opportunity {
        id
        version
        stage {
          key
        }
      }
    }
  }
`);
