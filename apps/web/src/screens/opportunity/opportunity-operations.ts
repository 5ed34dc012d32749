import { graphql } from '../../graphql/generated';

export const OpportunityQuery = graphql(`
  query Opportunity($id: ID!) {
    opportunity(id: $id) {
      id
      name
      accountName
      industry
      status
      version
      probability
      expectedCloseDate
      daysInStage
      stalled
      lastActivityAt
      deferredUntil
      amount {
        amount
        currency
      }
      owner {
        id
        name
        teamId
      }
      stage {
        key
        name
      }
      pipeline {
        id
        stages {
          key
          name
          category
          entryCriteria {
            key
            description
          }
        }
      }
      stageHistory {
        fromStage
        toStage
        changedAt
        changedBy
        reason
        timeInPreviousStageSeconds
        version
      }
      activities(first: 50) {
        id
        type
        subject
        notes
        occurredAt
      }
      deal {
        id
        version
        outcome
        lostReason
        closeNote
        closedAt
        deferredUntil
        terms {
          discountPercent
          paymentTermsDays
          contractLengthMonths
        }
        pendingTerms {
          discountPercent
          paymentTermsDays
          contractLengthMonths
        }
        approvals {
          id
          requestedPercent
          status
          requestedAt
          decidedAt
          note
        }
        commitments {
          type
          committedAt
          contactName
          notes
        }
        proposals {
          id
          version
          status
          validUntil
          sentAt
          decidedAt
          subtotal {
            amount
            currency
          }
          total {
            amount
            currency
          }
          lineItems {
            description
            quantity
            discountPercent
            unitPrice {
              amount
              currency
            }
            total {
              amount
              currency
            }
          }
        }
      }
    }
    dealSettings {
      discountApprovalThresholdPercent
      requireWrittenCommitmentToWin
    }
  }
`);

export const MoveStageMutation = graphql(`
  mutation MoveStage($input: MoveOpportunityStageInput!) {
    moveOpportunityStage(input: $input) {
      opportunity {
        id
        version
      }
    }
  }
`);

export const LogActivityMutation = graphql(`
  mutation LogActivity($input: LogActivityInput!) {
    logActivity(input: $input) {
      activity {
        id
      }
    }
  }
`);

export const CreateProposalMutation = graphql(`
  mutation CreateProposal($input: CreateProposalInput!) {
    createProposal(input: $input) {
      proposal {
        id
      }
    }
  }
`);

export const SendProposalMutation = graphql(`
  mutation SendProposal($input: SendProposalInput!) {
    sendProposal(input: $input) {
      proposal {
        id
        status
      }
    }
  }
`);

export const DecideProposalMutation = graphql(`
  mutation DecideProposal($input: DecideProposalInput!) {
    decideProposal(input: $input) {
      proposal {
        id
        status
      }
    }
  }
`);

export const SetTermsMutation = graphql(`
  mutation SetTerms($input: SetDealTermsInput!) {
    setDealTerms(input: $input) {
      deal {
        id
      }
    }
  }
`);

export const RecordCommitmentMutation = graphql(`
  mutation RecordCommitment($input: RecordCommitmentInput!) {
    recordCommitment(input: $input) {
      deal {
        id
      }
    }
  }
`);

export const CloseDealMutation = graphql(`
  mutation CloseDeal($input: CloseDealInput!) {
    closeDeal(input: $input) {
      deal {
        id
        outcome
      }
    }
  }
`);

export const ReopenDealMutation = graphql(`
  mutation ReopenDeal($input: ReopenDealInput!) {
    reopenDeal(input: $input) {
      deal {
        id
        outcome
      }
    }
  }
`);

export const DecideDiscountMutation = graphql(`
  mutation DecideDiscount($input: DecideDiscountApprovalInput!) {
    decideDiscountApproval(input: $input) {
      deal {
        id
      }
    }
  }
`);
