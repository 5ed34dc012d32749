import { graphql } from '../../graphql/generated';

export const LeadInboxQuery = graphql(`
  query LeadInbox($filter: LeadFilter, $first: Int) {
    leads(filter: $filter, first: $first) {
      totalCount
      edges {
        node {
          id
          name
          company
          source
          status
          score
          createdAt
          owner {
            id
            name
          }
          estimatedValue {
            amount
            currency
          }
        }
      }
    }
  }
`);

export const LeadDetailQuery = graphql(`
  query LeadDetail($id: ID!) {
    lead(id: $id) {
      id
      name
      company
      email
      phone
      industry
      region
      source
      sourceDetail
      status
      score
      assignmentReason
      owner {
        id
        name
        teamId
      }
      estimatedValue {
        amount
        currency
      }
      qualification {
        budget {
          amount
          currency
        }
        hasBudget
        isDecisionMaker
        need
        needConfirmed
        expectedPurchaseDate
        unmetCriteria
        qualifiedAt
      }
      scoreDetails {
        value
        computed
        override
        method
        factors {
          factor
          impact
          detail
        }
      }
      opportunity {
        id
      }
    }
    qualificationCriteria {
      minimumBudget {
        amount
        currency
      }
      maxPurchaseHorizonDays
      requireDecisionMaker
      requireConfirmedNeed
    }
    salesReps {
      id
      name
      teamId
      role
      active
    }
  }
`);

export const QualifyLeadMutation = graphql(`
  mutation QualifyLead($input: QualifyLeadInput!) {
    qualifyLead(input: $input) {
      lead {
        id
        status
        score
        qualification {
          unmetCriteria
          qualifiedAt
        }
      }
    }
  }
`);

export const AssignLeadMutation = graphql(`
  mutation AssignLead($input: AssignLeadInput!) {
    assignLead(input: $input) {
      lead {
        id
        assignmentReason
        owner {
          id
          name
        }
      }
    }
  }
`);

export const ConvertLeadMutation = graphql(`
  mutation ConvertLead($input: ConvertLeadInput!) {
    convertLead(input: $input) {
      opportunity {
        id
      }
    }
  }
`);
