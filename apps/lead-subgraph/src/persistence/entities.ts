import type { LeadSource, LeadStatus, Role } from '@pipeline/domain';
import { EntitySchema } from 'typeorm';

import type { ScoreFactor } from '../domain/scoring';

// Table rows, kept apart from the domain types; mappers.ts converts between them.
export interface SalesRepRow {
  id: string;
  name: string;
  email: string;
  role: Role;
  teamId: string | null;
  regions: string[];
  industries: string[];
  capacity: number;
  active: boolean;
  version: number;
  lastAssignedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface QualificationRow {
  budget: { amount: string; currency: string } | null;
  hasBudget: boolean;
  isDecisionMaker: boolean;
  need: string | null;
  needConfirmed: boolean;
  expectedPurchaseDate: string | null;
  unmetCriteria: string[];
  qualifiedAt: string;
  criteriaVersion: number;
}

export interface LeadRow {
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
  score?: number;
  ownerId: string | null;
  owner?: SalesRepRow | null;
  assignmentReason: string | null;
  assignedAt: Date | null;
  estimatedValueAmount: string | null;
  estimatedValueCurrency: string | null;
  qualification: QualificationRow | null;
  opportunityId: string | null;
  version: number;
  lastActivityAt: Date | null;
  archivedAt: Date | null;
  archivedReason: string | null;
  mergedIntoLeadId: string | null;
  mergedAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface LeadActivityRow {
  id: string;
  leadId: string;
  type: 'CALL' | 'EMAIL' | 'MEETING' | 'TASK' | 'NOTE';
  subject: string;
  notes: string | null;
  occurredAt: Date;
  ownerId: string | null;
  createdAt: Date;
}

export interface QualificationCriteriaRow {
  version: number;
  minimumBudgetAmount: string | null;
  minimumBudgetCurrency: string | null;
  maxPurchaseHorizonDays: number;
  requireDecisionMaker: boolean;
  requireConfirmedNeed: boolean;
  createdAt: Date;
  createdBy: string | null;
}

export interface ScoringModelRow {
  version: number;
  kind: string;
  parameters: unknown;
  trainingSize: number;
  holdoutSize: number;
  brierScore: number | null;
  baselineBrierScore: number | null;
  active: boolean;
  trainedAt: Date;
}

export const SalesRepEntity = new EntitySchema<SalesRepRow>({
  name: 'SalesRep',
  tableName: 'sales_rep',
  columns: {
    id: { type: 'uuid', primary: true },
    name: { type: 'text' },
    email: { type: 'text' },
    role: { type: 'text' },
    teamId: { type: 'text', name: 'team_id', nullable: true },
    regions: { type: 'text', array: true },
    industries: { type: 'text', array: true },
    capacity: { type: 'integer' },
    active: { type: 'boolean' },
    version: { type: 'integer' },
    lastAssignedAt: { type: 'timestamptz', name: 'last_assigned_at', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at' },
    updatedAt: { type: 'timestamptz', name: 'updated_at' },
  },
});

export const LeadEntity = new EntitySchema<LeadRow>({
  name: 'Lead',
  tableName: 'lead',
  columns: {
    id: { type: 'uuid', primary: true },
    externalId: { type: 'text', name: 'external_id', nullable: true },
    name: { type: 'text' },
    email: { type: 'text', nullable: true },
    phone: { type: 'text', nullable: true },
    company: { type: 'text' },
    industry: { type: 'text', nullable: true },
    region: { type: 'text', nullable: true },
    source: { type: 'text' },
    sourceDetail: { type: 'text', name: 'source_detail', nullable: true },
    status: { type: 'text' },
    computedScore: { type: 'integer', name: 'computed_score' },
    scoreFactors: { type: 'jsonb', name: 'score_factors' },
    scoreMethod: { type: 'text', name: 'score_method' },
    scoreModelVersion: { type: 'integer', name: 'score_model_version', nullable: true },
    scoreOverride: { type: 'integer', name: 'score_override', nullable: true },
    scoreOverrideReason: { type: 'text', name: 'score_override_reason', nullable: true },
    // Computed by PostgreSQL (override else computed), so filters and sorting use one column.
    score: { type: 'integer', insert: false, update: false, nullable: true },
    ownerId: { type: 'uuid', name: 'owner_id', nullable: true },
    assignmentReason: { type: 'text', name: 'assignment_reason', nullable: true },
    assignedAt: { type: 'timestamptz', name: 'assigned_at', nullable: true },
    estimatedValueAmount: { type: 'numeric', name: 'estimated_value_amount', nullable: true },
    estimatedValueCurrency: { type: 'char', length: 3, name: 'estimated_value_currency', nullable: true },
    qualification: { type: 'jsonb', nullable: true },
    opportunityId: { type: 'uuid', name: 'opportunity_id', nullable: true },
    version: { type: 'integer' },
    lastActivityAt: { type: 'timestamptz', name: 'last_activity_at', nullable: true },
    archivedAt: { type: 'timestamptz', name: 'archived_at', nullable: true },
    archivedReason: { type: 'text', name: 'archived_reason', nullable: true },
    mergedIntoLeadId: { type: 'uuid', name: 'merged_into_lead_id', nullable: true },
    mergedAt: { type: 'timestamptz', name: 'merged_at', nullable: true },
    createdBy: { type: 'text', name: 'created_by', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at' },
    updatedAt: { type: 'timestamptz', name: 'updated_at' },
  },
  relations: {
    owner: { type: 'many-to-one', target: 'SalesRep', joinColumn: { name: 'owner_id' }, nullable: true, createForeignKeyConstraints: false },
  },
});

export const LeadActivityEntity = new EntitySchema<LeadActivityRow>({
  name: 'LeadActivity',
  tableName: 'lead_activity',
  columns: {
    id: { type: 'uuid', primary: true },
    leadId: { type: 'uuid', name: 'lead_id' },
    type: { type: 'text' },
    subject: { type: 'text' },
    notes: { type: 'text', nullable: true },
    occurredAt: { type: 'timestamptz', name: 'occurred_at' },
    ownerId: { type: 'text', name: 'owner_id', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at' },
  },
});

export const QualificationCriteriaEntity = new EntitySchema<QualificationCriteriaRow>({
  name: 'QualificationCriteria',
  tableName: 'qualification_criteria',
  columns: {
    version: { type: 'integer', primary: true, generated: 'increment' },
    minimumBudgetAmount: { type: 'numeric', name: 'minimum_budget_amount', nullable: true },
    minimumBudgetCurrency: { type: 'char', length: 3, name: 'minimum_budget_currency', nullable: true },
    maxPurchaseHorizonDays: { type: 'integer', name: 'max_purchase_horizon_days' },
    requireDecisionMaker: { type: 'boolean', name: 'require_decision_maker' },
    requireConfirmedNeed: { type: 'boolean', name: 'require_confirmed_need' },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
    createdBy: { type: 'text', name: 'created_by', nullable: true },
  },
});

export const ScoringModelEntity = new EntitySchema<ScoringModelRow>({
  name: 'ScoringModel',
  tableName: 'scoring_model',
  columns: {
    version: { type: 'integer', primary: true, generated: 'increment' },
    kind: { type: 'text' },
    parameters: { type: 'jsonb' },
    trainingSize: { type: 'integer', name: 'training_size' },
    holdoutSize: { type: 'integer', name: 'holdout_size' },
    brierScore: { type: 'double precision', name: 'brier_score', nullable: true },
    baselineBrierScore: { type: 'double precision', name: 'baseline_brier_score', nullable: true },
    active: { type: 'boolean' },
    trainedAt: { type: 'timestamptz', name: 'trained_at', createDate: true },
  },
});

export const LEAD_ENTITIES = [SalesRepEntity, LeadEntity, LeadActivityEntity, QualificationCriteriaEntity, ScoringModelEntity];
