import { graphql } from '../../graphql/generated';

// The graph has no approvals list of its own: the queue is read from the open opportunities' deals.
export const ApprovalsQuery = graphql(`
  query Approvals {
    approvals: opportunities(filter: { status: [OPEN] }, first: 100, orderBy: { field: LAST_ACTIVITY, direction: DESC }) {
      totalCount
      edges {
        node {
          id
          name
          accountName
          amount {
            amount
            currency
          }
          owner {
            id
            name
            teamId
          }
          deal {
            id
            pendingTerms {
              discountPercent
              paymentTermsDays
              contractLengthMonths
            }
            approvals {
              id
              status
              requestedPercent
              requestedAt
              paymentTermsDays
              contractLengthMonths
            }
          }
        }
      }
    }
  }
`);

export const TeamQuery = graphql(`
  query Team($teamId: String) {
    stalled: opportunities(filter: { status: [OPEN], stalled: true }, first: 50, orderBy: { field: TIME_IN_STAGE, direction: DESC }) {
      totalCount
      edges {
        node {
          id
          name
          accountName
          daysInStage
          lastActivityAt
          stage {
            name
          }
          amount {
            amount
            currency
          }
          owner {
            id
            name
          }
        }
      }
    }
    coachingInsights(teamId: $teamId) {
      ownerId
      fromStage
      toStage
      repRate
      teamRate
      difference
      repSample
    }
    salesReps {
      id
      name
    }
  }
`);

export const DecideApprovalMutation = graphql(`
  mutation DecideApproval($input: DecideDiscountApprovalInput!) {
    decideDiscountApproval(input: $input) {
      deal {
        id
      }
    }
  }
`);
