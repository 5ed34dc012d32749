import type { LeadSource, LeadStatus, Role } from '@pipeline/domain';

import type { Lead } from '../domain/lead';
import type { SalesRep } from '../domain/sales-rep';
import type { ScoreFactor } from '../domain/scoring';
import type { QualificationRow } from './entities';
import { leadEstimatedValue, toQualification } from './mappers';

// Entity batches (_entities for leads and reps) as plain SQL mapped once from row to domain value: TypeORM's entity
// hydration cost more than PostgreSQL itself on a batch of 50.

export const LEAD_COLUMNS = `lead.id, lead.external_id, lead.name, lead.email, lead.phone, lead.company, lead.industry, lead.region, lead.source,
  lead.source_detail, lead.status, lead.computed_score, lead.score_factors, lead.score_method, lead.score_model_version, lead.score_override,
  lead.score_override_reason, lead.owner_id, owner.team_id AS owner_team_id, lead.assignment_reason, lead.assigned_at, lead.estimated_value_amount,
  lead.estimated_value_currency, lead.qualification, lead.opportunity_id, lead.version, lead.last_activity_at, lead.archived_at, lead.archived_reason,
  lead.merged_into_lead_id, lead.merged_at, lead.created_at, lead.updated_at`;

export const LEAD_FROM = 'lead LEFT JOIN sales_rep owner ON owner.id = lead.owner_id';

export interface LeadSqlRow {
  id: string;
  external_id: string | null;
  name: string;
  email: string | null;
  phone: string | null;
  company: string;
  industry: string | null;
  region: string | null;
  source: LeadSource;
  source_detail: string | null;
  status: LeadStatus;
  computed_score: number;
  score_factors: ScoreFactor[];
  score_method: 'RULES' | 'MODEL';
  score_model_version: number | null;
  score_override: number | null;
  score_override_reason: string | null;
  owner_id: string | null;
  owner_team_id: string | null;
  assignment_reason: string | null;
  assigned_at: Date | null;
  estimated_value_amount: string | null;
  estimated_value_currency: string | null;
  qualification: QualificationRow | null;
  opportunity_id: string | null;
  version: number;
  last_activity_at: Date | null;
  archived_at: Date | null;
  archived_reason: string | null;
  merged_into_lead_id: string | null;
  merged_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const leadFromSql = (row: LeadSqlRow): Lead => ({
  id: row.id,
  externalId: row.external_id,
  name: row.name,
  email: row.email,
  phone: row.phone,
  company: row.company,
  industry: row.industry,
  region: row.region,
  source: row.source,
  sourceDetail: row.source_detail,
  status: row.status,
  computedScore: row.computed_score,
  scoreFactors: row.score_factors,
  scoreMethod: row.score_method,
  scoreModelVersion: row.score_model_version,
  scoreOverride: row.score_override,
  scoreOverrideReason: row.score_override_reason,
  ownerId: row.owner_id,
  ownerTeamId: row.owner_team_id,
  assignmentReason: row.assignment_reason,
  assignedAt: row.assigned_at,
  estimatedValue: leadEstimatedValue(row.estimated_value_amount, row.estimated_value_currency),
  qualification: toQualification(row.qualification),
  opportunityId: row.opportunity_id,
  version: row.version,
  lastActivityAt: row.last_activity_at,
  archivedAt: row.archived_at,
  archivedReason: row.archived_reason,
  mergedIntoLeadId: row.merged_into_lead_id,
  mergedAt: row.merged_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export const SALES_REP_COLUMNS =
  'rep.id, rep.name, rep.email, rep.role, rep.team_id, rep.regions, rep.industries, rep.capacity, rep.active, rep.version, rep.last_assigned_at, rep.created_at, rep.updated_at';

export interface SalesRepSqlRow {
  id: string;
  name: string;
  email: string;
  role: Role;
  team_id: string | null;
  regions: string[] | null;
  industries: string[] | null;
  capacity: number;
  active: boolean;
  version: number;
  last_assigned_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const salesRepFromSql = (row: SalesRepSqlRow): SalesRep => ({
  id: row.id,
  name: row.name,
  email: row.email,
  role: row.role,
  teamId: row.team_id,
  regions: row.regions ?? [],
  industries: row.industries ?? [],
  capacity: row.capacity,
  active: row.active,
  version: row.version,
  lastAssignedAt: row.last_assigned_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});
