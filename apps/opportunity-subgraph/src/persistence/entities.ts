import type { ActivityType, LeadSource, OpportunityStatus, StageCategory } from '@pipeline/domain';
import type { PersonalDataEnvelope } from '@pipeline/events';
import { RepSnapshotEntity, type RepSnapshotRow } from '@pipeline/persistence';
import { EntitySchema } from 'typeorm';

// Table rows; mappers.ts converts them to and from the domain types.
export interface PipelineRow {
  id: string;
  name: string;
  isDefault: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface PipelineStageRow {
  pipelineId: string;
  key: string;
  name: string;
  position: number;
  probability: string;
  category: StageCategory;
  entryCriteria: string[];
  exitCriteria: string[];
  stalledAfterDays: number | null;
  automationTrigger: string | null;
  active: boolean;
  guidance: string | null;
  objectionNotes: Array<{ category: string; note: string }>;
}

export interface OpportunityRow {
  id: string;
  name: string;
  accountName: string;
  industry: string | null;
  region: string | null;
  amount: string | null;
  currency: string | null;
  pipelineId: string;
  stageKey: string;
  stageEnteredAt: Date;
  status: OpportunityStatus;
  probabilityOverride: string | null;
  expectedCloseDate: string | null;
  ownerId: string | null;
  leadId: string | null;
  leadSource: LeadSource | null;
  externalId: string | null;
  deferredUntil: string | null;
  accountId: string | null;
  archivedAt: Date | null;
  archivedReason: string | null;
  lostReason: string | null;
  version: number;
  stageSequence: number;
  lastActivityAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  owner?: RepSnapshotRow | null;
}

export interface StageTransitionRow {
  id?: string;
  opportunityId: string;
  fromStage: string | null;
  toStage: string;
  changedAt: Date;
  changedBy: string | null;
  reason: string | null;
  timeInPreviousStageSeconds: number | null;
  version: number;
}

export interface ActivityRow {
  id: string;
  opportunityId: string;
  type: ActivityType;
  subject: string;
  notes: string | null;
  occurredAt: Date;
  ownerId: string | null;
}

export interface LeadSnapshotRow {
  id: string;
  version: number;
  status: string;
  name: string;
  company: string;
  industry: string | null;
  region: string | null;
  source: LeadSource;
  ownerId: string | null;
  estimatedValueAmount: string | null;
  estimatedValueCurrency: string | null;
  archived: boolean;
  // The newest lead event's sealed person (only the lead service can open it); null for events from before sealing.
  personal: PersonalDataEnvelope | null;
  erased: boolean;
  updatedAt: Date;
}

export interface DealFactRow {
  opportunityId: string;
  proposalSent: boolean;
  negotiationStarted: boolean;
  outcome: 'WON' | 'LOST' | 'DEFERRED' | null;
  lostReason: string | null;
  updatedAt: Date;
}

export const PipelineEntity = new EntitySchema<PipelineRow>({
  name: 'Pipeline',
  tableName: 'pipeline',
  columns: {
    id: { type: 'uuid', primary: true },
    name: { type: 'text' },
    isDefault: { type: 'boolean', name: 'is_default' },
    version: { type: 'integer' },
    createdAt: { type: 'timestamptz', name: 'created_at' },
    updatedAt: { type: 'timestamptz', name: 'updated_at' },
  },
});

export const PipelineStageEntity = new EntitySchema<PipelineStageRow>({
  name: 'PipelineStage',
  tableName: 'pipeline_stage',
  columns: {
    pipelineId: { type: 'uuid', name: 'pipeline_id', primary: true },
    key: { type: 'text', primary: true },
    name: { type: 'text' },
    position: { type: 'integer' },
    probability: { type: 'numeric' },
    category: { type: 'text' },
    entryCriteria: { type: 'text', array: true, name: 'entry_criteria' },
    exitCriteria: { type: 'text', array: true, name: 'exit_criteria' },
    stalledAfterDays: { type: 'integer', name: 'stalled_after_days', nullable: true },
    automationTrigger: { type: 'text', name: 'automation_trigger', nullable: true },
    active: { type: 'boolean' },
    guidance: { type: 'text', nullable: true },
    objectionNotes: { type: 'jsonb', name: 'objection_notes' },
  },
});

export const OpportunityEntity = new EntitySchema<OpportunityRow>({
  name: 'Opportunity',
  tableName: 'opportunity',
  columns: {
    id: { type: 'uuid', primary: true },
    name: { type: 'text' },
    accountName: { type: 'text', name: 'account_name' },
    industry: { type: 'text', nullable: true },
    region: { type: 'text', nullable: true },
    amount: { type: 'numeric', nullable: true },
    currency: { type: 'char', length: 3, nullable: true },
    pipelineId: { type: 'uuid', name: 'pipeline_id' },
    stageKey: { type: 'text', name: 'stage_key' },
    stageEnteredAt: { type: 'timestamptz', name: 'stage_entered_at' },
    status: { type: 'text' },
    probabilityOverride: { type: 'numeric', name: 'probability_override', nullable: true },
    expectedCloseDate: { type: 'date', name: 'expected_close_date', nullable: true },
    ownerId: { type: 'uuid', name: 'owner_id', nullable: true },
    leadId: { type: 'uuid', name: 'lead_id', nullable: true },
    leadSource: { type: 'text', name: 'lead_source', nullable: true },
    externalId: { type: 'text', name: 'external_id', nullable: true },
    deferredUntil: { type: 'date', name: 'deferred_until', nullable: true },
    accountId: { type: 'uuid', name: 'account_id', nullable: true },
    archivedAt: { type: 'timestamptz', name: 'archived_at', nullable: true },
    archivedReason: { type: 'text', name: 'archived_reason', nullable: true },
    lostReason: { type: 'text', name: 'lost_reason', nullable: true },
    version: { type: 'integer' },
    stageSequence: { type: 'integer', name: 'stage_sequence' },
    lastActivityAt: { type: 'timestamptz', name: 'last_activity_at', nullable: true },
    createdBy: { type: 'text', name: 'created_by', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at' },
    updatedAt: { type: 'timestamptz', name: 'updated_at' },
    closedAt: { type: 'timestamptz', name: 'closed_at', nullable: true },
  },
  relations: {
    owner: { type: 'many-to-one', target: 'RepSnapshot', joinColumn: { name: 'owner_id' }, nullable: true, createForeignKeyConstraints: false },
  },
});

export const StageTransitionEntity = new EntitySchema<StageTransitionRow>({
  name: 'StageTransition',
  tableName: 'stage_transition',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment' },
    opportunityId: { type: 'uuid', name: 'opportunity_id' },
    fromStage: { type: 'text', name: 'from_stage', nullable: true },
    toStage: { type: 'text', name: 'to_stage' },
    changedAt: { type: 'timestamptz', name: 'changed_at' },
    changedBy: { type: 'text', name: 'changed_by', nullable: true },
    reason: { type: 'text', nullable: true },
    timeInPreviousStageSeconds: { type: 'integer', name: 'time_in_previous_stage_seconds', nullable: true },
    version: { type: 'integer' },
  },
});

export const ActivityEntity = new EntitySchema<ActivityRow>({
  name: 'Activity',
  tableName: 'activity',
  columns: {
    id: { type: 'uuid', primary: true },
    opportunityId: { type: 'uuid', name: 'opportunity_id' },
    type: { type: 'text' },
    subject: { type: 'text' },
    notes: { type: 'text', nullable: true },
    occurredAt: { type: 'timestamptz', name: 'occurred_at' },
    ownerId: { type: 'text', name: 'owner_id', nullable: true },
  },
});

export const LeadSnapshotEntity = new EntitySchema<LeadSnapshotRow>({
  name: 'LeadSnapshot',
  tableName: 'lead_snapshot',
  columns: {
    id: { type: 'uuid', primary: true },
    version: { type: 'integer' },
    status: { type: 'text' },
    name: { type: 'text' },
    company: { type: 'text' },
    industry: { type: 'text', nullable: true },
    region: { type: 'text', nullable: true },
    source: { type: 'text' },
    ownerId: { type: 'uuid', name: 'owner_id', nullable: true },
    estimatedValueAmount: { type: 'numeric', name: 'estimated_value_amount', nullable: true },
    estimatedValueCurrency: { type: 'char', length: 3, name: 'estimated_value_currency', nullable: true },
    archived: { type: 'boolean', default: false },
    personal: { type: 'jsonb', nullable: true },
    erased: { type: 'boolean', default: false },
    updatedAt: { type: 'timestamptz', name: 'updated_at' },
  },
});

export const DealFactEntity = new EntitySchema<DealFactRow>({
  name: 'DealFact',
  tableName: 'deal_fact',
  columns: {
    opportunityId: { type: 'uuid', name: 'opportunity_id', primary: true },
    proposalSent: { type: 'boolean', name: 'proposal_sent' },
    negotiationStarted: { type: 'boolean', name: 'negotiation_started' },
    outcome: { type: 'text', nullable: true },
    lostReason: { type: 'text', name: 'lost_reason', nullable: true },
    updatedAt: { type: 'timestamptz', name: 'updated_at' },
  },
});

export const OpportunitySettingEntity = new EntitySchema<{ key: string; value: unknown; updatedBy: string | null; updatedAt: Date }>({
  name: 'OpportunitySetting',
  tableName: 'opportunity_setting',
  columns: {
    key: { type: 'text', primary: true },
    value: { type: 'jsonb' },
    updatedBy: { type: 'text', name: 'updated_by', nullable: true },
    updatedAt: { type: 'timestamptz', name: 'updated_at' },
  },
});

export interface AccountRow {
  id: string;
  name: string;
  normalizedName: string;
  industry: string | null;
  region: string | null;
  createdBy: string | null;
  createdAt: Date;
}

export const AccountEntity = new EntitySchema<AccountRow>({
  name: 'Account',
  tableName: 'account',
  columns: {
    id: { type: 'uuid', primary: true },
    name: { type: 'text' },
    normalizedName: { type: 'text', name: 'normalized_name' },
    industry: { type: 'text', nullable: true },
    region: { type: 'text', nullable: true },
    createdBy: { type: 'text', name: 'created_by', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at' },
  },
});

export interface ContactRow {
  id: string;
  accountId: string | null;
  leadId: string | null;
  name: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  createdBy: string | null;
  createdAt: Date;
}

export const ContactEntity = new EntitySchema<ContactRow>({
  name: 'Contact',
  tableName: 'contact',
  columns: {
    id: { type: 'uuid', primary: true },
    accountId: { type: 'uuid', name: 'account_id', nullable: true },
    leadId: { type: 'uuid', name: 'lead_id', nullable: true },
    name: { type: 'text' },
    email: { type: 'text', nullable: true },
    phone: { type: 'text', nullable: true },
    title: { type: 'text', nullable: true },
    createdBy: { type: 'text', name: 'created_by', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at' },
  },
});

export interface OpportunityContactRow {
  opportunityId: string;
  contactId: string;
  role: string;
  addedAt: Date;
}

export const OpportunityContactEntity = new EntitySchema<OpportunityContactRow>({
  name: 'OpportunityContact',
  tableName: 'opportunity_contact',
  columns: {
    opportunityId: { type: 'uuid', name: 'opportunity_id', primary: true },
    contactId: { type: 'uuid', name: 'contact_id', primary: true },
    role: { type: 'text' },
    addedAt: { type: 'timestamptz', name: 'added_at' },
  },
});

export const OPPORTUNITY_ENTITIES = [
  AccountEntity,
  ContactEntity,
  OpportunityContactEntity,
  PipelineEntity,
  PipelineStageEntity,
  RepSnapshotEntity,
  OpportunityEntity,
  StageTransitionEntity,
  ActivityEntity,
  LeadSnapshotEntity,
  DealFactEntity,
  OpportunitySettingEntity,
];
