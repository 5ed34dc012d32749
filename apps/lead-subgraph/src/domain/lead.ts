import type { LeadSource, LeadStatus, Money } from '@pipeline/domain';

import type { ScoreFactor } from './scoring';

export interface Qualification {
  budget: Money | null;
  hasBudget: boolean;
  isDecisionMaker: boolean;
  need: string | null;
  needConfirmed: boolean;
  expectedPurchaseDate: string | null;
  unmetCriteria: string[];
  qualifiedAt: Date;
  criteriaVersion: number;
}

// What a person or a CSV row says about a new lead, validated.
export interface LeadFields {
  name: string;
  company: string;
  email: string | null;
  phone: string | null;
  industry: string | null;
  region: string | null;
  source: LeadSource;
  sourceDetail: string | null;
  estimatedValue: Money | null;
  externalId: string | null;
}

export interface Lead {
  id: string;
  externalId: string | null;
  name: string;
  email: string | null;
  phone: string | null;
  company: string;
  industry: string | null;
  region: string | null;
  source: LeadSource;
  sourceDetail: string | null;
  status: LeadStatus;
  computedScore: number;
  scoreFactors: ScoreFactor[];
  scoreMethod: 'RULES' | 'MODEL';
  scoreModelVersion: number | null;
  scoreOverride: number | null;
  scoreOverrideReason: string | null;
  ownerId: string | null;
  // The owner's team, read with the lead, so visibility needs no second query.
  ownerTeamId: string | null;
  assignmentReason: string | null;
  assignedAt: Date | null;
  estimatedValue: Money | null;
  qualification: Qualification | null;
  opportunityId: string | null;
  version: number;
  lastActivityAt: Date | null;
  // Set while the lead is archived: out of lists and counts, every field kept, restorable.
  archivedAt: Date | null;
  archivedReason: string | null;
  // Set on a duplicate merged into another lead (it is archived too, for good).
  mergedIntoLeadId: string | null;
  mergedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface LeadActivity {
  id: string;
  leadId: string;
  type: 'CALL' | 'EMAIL' | 'MEETING' | 'TASK' | 'NOTE';
  subject: string;
  notes: string | null;
  occurredAt: Date;
  ownerId: string | null;
}

// Open leads count against a rep's capacity and are the ones duplicates are checked against.
export const OPEN_LEAD_STATUSES: readonly LeadStatus[] = ['NEW', 'WORKING', 'QUALIFIED'];

export const isOpenLead = (lead: Pick<Lead, 'status'>): boolean => OPEN_LEAD_STATUSES.includes(lead.status);

export const effectiveScore = (lead: Pick<Lead, 'computedScore' | 'scoreOverride'>): number => lead.scoreOverride ?? lead.computedScore;

// Case and spacing do not make a different company or person.
export const normalizeForMatch = (text: string): string => text.trim().toLowerCase().replace(/\s+/g, ' ');
