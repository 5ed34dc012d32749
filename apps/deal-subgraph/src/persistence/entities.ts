import type { ApprovalStatus, CommitmentType, DealOutcome, LostReason, ObjectionCategory, ProposalStatus } from '@pipeline/domain';
import { RepSnapshotEntity } from '@pipeline/persistence';
import { EntitySchema } from 'typeorm';

import type { LineItem } from '../domain/proposal';

// Table rows; mappers in deal-repository.ts turn them into domain values.
export interface DealRow {
  id: string;
  opportunityId: string;
  discountPercent: string | null;
  paymentTermsDays: number | null;
  contractLengthMonths: number | null;
  outcome: DealOutcome | null;
  lostReason: LostReason | null;
  closeNote: string | null;
  closedAt: Date | null;
  closedBy: string | null;
  deferredUntil: string | null;
  competitor: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface ProposalRow {
  id: string;
  dealId: string;
  opportunityId: string;
  version: number;
  status: ProposalStatus;
  currency: string;
  lineItems: LineItem[];
  subtotal: string;
  total: string;
  validUntil: string | null;
  sentAt: Date | null;
  decidedAt: Date | null;
  decisionReason: string | null;
  createdBy: string | null;
  createdAt: Date;
}

export interface DiscountApprovalRow {
  id: string;
  dealId: string;
  requestedPercent: string;
  paymentTermsDays: number;
  contractLengthMonths: number;
  status: ApprovalStatus;
  requestedBy: string;
  requestedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  note: string | null;
}

export interface CommitmentRow {
  id: string;
  dealId: string;
  type: CommitmentType;
  committedAt: Date;
  contactName: string;
  notes: string | null;
  recordedBy: string | null;
}

export interface ObjectionRow {
  id: string;
  dealId: string;
  category: ObjectionCategory;
  note: string | null;
  recordedAt: Date;
  recordedBy: string | null;
}

export interface OpportunitySnapshotRow {
  id: string;
  version: number;
  name: string;
  accountName: string;
  status: string;
  stage: string;
  stageCategory: string;
  ownerId: string | null;
  leadId: string | null;
  amount: string | null;
  currency: string | null;
  archived: boolean;
  updatedAt: Date;
  owner?: { id: string; teamId: string | null } | null;
}

export const OpportunitySnapshotEntity = new EntitySchema<OpportunitySnapshotRow>({
  name: 'OpportunitySnapshot',
  tableName: 'opportunity_snapshot',
  columns: {
    id: { type: 'uuid', primary: true },
    version: { type: 'integer' },
    name: { type: 'text' },
    accountName: { type: 'text', name: 'account_name' },
    status: { type: 'text' },
    stage: { type: 'text' },
    stageCategory: { type: 'text', name: 'stage_category' },
    ownerId: { type: 'uuid', name: 'owner_id', nullable: true },
    leadId: { type: 'uuid', name: 'lead_id', nullable: true },
    amount: { type: 'numeric', nullable: true },
    currency: { type: 'char', length: 3, nullable: true },
    archived: { type: 'boolean', default: false },
    updatedAt: { type: 'timestamptz', name: 'updated_at' },
  },
  relations: {
    owner: { type: 'many-to-one', target: 'RepSnapshot', joinColumn: { name: 'owner_id' }, nullable: true, createForeignKeyConstraints: false },
  },
});

export const DealEntity = new EntitySchema<DealRow>({
  name: 'Deal',
  tableName: 'deal',
  columns: {
    id: { type: 'uuid', primary: true },
    opportunityId: { type: 'uuid', name: 'opportunity_id' },
    discountPercent: { type: 'numeric', name: 'discount_percent', nullable: true },
    paymentTermsDays: { type: 'integer', name: 'payment_terms_days', nullable: true },
    contractLengthMonths: { type: 'integer', name: 'contract_length_months', nullable: true },
    outcome: { type: 'text', nullable: true },
    lostReason: { type: 'text', name: 'lost_reason', nullable: true },
    closeNote: { type: 'text', name: 'close_note', nullable: true },
    closedAt: { type: 'timestamptz', name: 'closed_at', nullable: true },
    closedBy: { type: 'text', name: 'closed_by', nullable: true },
    deferredUntil: { type: 'date', name: 'deferred_until', nullable: true },
    competitor: { type: 'text', nullable: true },
    version: { type: 'integer' },
    createdAt: { type: 'timestamptz', name: 'created_at' },
    updatedAt: { type: 'timestamptz', name: 'updated_at' },
  },
});

export const ProposalEntity = new EntitySchema<ProposalRow>({
  name: 'Proposal',
  tableName: 'proposal',
  columns: {
    id: { type: 'uuid', primary: true },
    dealId: { type: 'uuid', name: 'deal_id' },
    opportunityId: { type: 'uuid', name: 'opportunity_id' },
    version: { type: 'integer' },
    status: { type: 'text' },
    currency: { type: 'char', length: 3 },
    lineItems: { type: 'jsonb', name: 'line_items' },
    subtotal: { type: 'numeric' },
    total: { type: 'numeric' },
    validUntil: { type: 'date', name: 'valid_until', nullable: true },
    sentAt: { type: 'timestamptz', name: 'sent_at', nullable: true },
    decidedAt: { type: 'timestamptz', name: 'decided_at', nullable: true },
    decisionReason: { type: 'text', name: 'decision_reason', nullable: true },
    createdBy: { type: 'text', name: 'created_by', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at' },
  },
});

export const DiscountApprovalEntity = new EntitySchema<DiscountApprovalRow>({
  name: 'DiscountApproval',
  tableName: 'discount_approval',
  columns: {
    id: { type: 'uuid', primary: true },
    dealId: { type: 'uuid', name: 'deal_id' },
    requestedPercent: { type: 'numeric', name: 'requested_percent' },
    paymentTermsDays: { type: 'integer', name: 'payment_terms_days' },
    contractLengthMonths: { type: 'integer', name: 'contract_length_months' },
    status: { type: 'text' },
    requestedBy: { type: 'text', name: 'requested_by' },
    requestedAt: { type: 'timestamptz', name: 'requested_at' },
    decidedBy: { type: 'text', name: 'decided_by', nullable: true },
    decidedAt: { type: 'timestamptz', name: 'decided_at', nullable: true },
    note: { type: 'text', nullable: true },
  },
});

export const CommitmentEntity = new EntitySchema<CommitmentRow>({
  name: 'Commitment',
  tableName: 'commitment',
  columns: {
    id: { type: 'uuid', primary: true },
    dealId: { type: 'uuid', name: 'deal_id' },
    type: { type: 'text' },
    committedAt: { type: 'timestamptz', name: 'committed_at' },
    contactName: { type: 'text', name: 'contact_name' },
    notes: { type: 'text', nullable: true },
    recordedBy: { type: 'text', name: 'recorded_by', nullable: true },
  },
});

export const ObjectionEntity = new EntitySchema<ObjectionRow>({
  name: 'Objection',
  tableName: 'deal_objection',
  columns: {
    id: { type: 'uuid', primary: true },
    dealId: { type: 'uuid', name: 'deal_id' },
    category: { type: 'text' },
    note: { type: 'text', nullable: true },
    recordedAt: { type: 'timestamptz', name: 'recorded_at' },
    recordedBy: { type: 'text', name: 'recorded_by', nullable: true },
  },
});

export const DEAL_ENTITIES = [
  RepSnapshotEntity,
  OpportunitySnapshotEntity,
  DealEntity,
  ProposalEntity,
  DiscountApprovalEntity,
  CommitmentEntity,
  ObjectionEntity,
];
