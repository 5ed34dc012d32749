// Closed sets of the sales process, shared by every service and by the event contracts.
export const LEAD_SOURCES = ['MARKETING_CAMPAIGN', 'REFERRAL', 'SOCIAL_MEDIA', 'EVENT', 'INBOUND', 'OTHER'] as const;
export type LeadSource = (typeof LEAD_SOURCES)[number];

export const LEAD_STATUSES = ['NEW', 'WORKING', 'QUALIFIED', 'DISQUALIFIED', 'CONVERTED'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export const STAGE_CATEGORIES = ['OPEN', 'WON', 'LOST'] as const;
export type StageCategory = (typeof STAGE_CATEGORIES)[number];

export const OPPORTUNITY_STATUSES = ['OPEN', 'WON', 'LOST'] as const;
export type OpportunityStatus = (typeof OPPORTUNITY_STATUSES)[number];

export const ACTIVITY_TYPES = ['CALL', 'EMAIL', 'MEETING', 'TASK', 'NOTE'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

// What a prospect pushes back with; playbooks answer them per stage and analytics links them to lost reasons.
export const OBJECTION_CATEGORIES = ['PRICE', 'BUDGET', 'TIMING', 'AUTHORITY', 'NEED', 'COMPETITOR', 'TRUST', 'OTHER'] as const;
export type ObjectionCategory = (typeof OBJECTION_CATEGORIES)[number];

export const DEAL_OUTCOMES = ['WON', 'LOST', 'DEFERRED'] as const;
export type DealOutcome = (typeof DEAL_OUTCOMES)[number];

export const LOST_REASONS = ['PRICE', 'COMPETITOR', 'NO_DECISION', 'TIMING', 'PRODUCT_FIT', 'OTHER'] as const;
export type LostReason = (typeof LOST_REASONS)[number];

export const PROPOSAL_STATUSES = ['DRAFT', 'SENT', 'ACCEPTED', 'REJECTED', 'SUPERSEDED'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export const APPROVAL_STATUSES = ['PENDING', 'APPROVED', 'REJECTED'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export const COMMITMENT_TYPES = ['VERBAL', 'WRITTEN'] as const;
export type CommitmentType = (typeof COMMITMENT_TYPES)[number];

// What a contact is to an opportunity (decision maker, champion…); the contact facts carry it.
export const CONTACT_ROLES = ['DECISION_MAKER', 'ECONOMIC_BUYER', 'CHAMPION', 'INFLUENCER', 'TECHNICAL_BUYER', 'USER', 'BLOCKER', 'OTHER'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

export const statusOfCategory = (category: StageCategory): OpportunityStatus => category;
