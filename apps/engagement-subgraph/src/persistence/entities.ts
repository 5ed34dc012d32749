import type { PersonalDataEnvelope } from '@pipeline/events';
import { EntitySchema } from 'typeorm';

// Table rows; the repositories turn them into domain values. Snapshot tables are written only by consumers.
export interface TaskRow {
  id: string;
  title: string;
  notes: string | null;
  dueAt: Date;
  assigneeId: string;
  leadId: string | null;
  opportunityId: string | null;
  status: string;
  completedAt: Date | null;
  cancelReason: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
  dueNotifiedAt: Date | null;
  overdueNotifiedAt: Date | null;
  // The lead whose person the text of a task on an opportunity made from it may name, and that text with the person replaced.
  personLeadId: string | null;
  redacted: { title: string; notes: string | null } | null;
}

export const TaskEntity = new EntitySchema<TaskRow>({
  name: 'Task',
  tableName: 'task',
  columns: {
    id: { type: 'uuid', primary: true },
    title: { type: 'text' },
    notes: { type: 'text', nullable: true },
    dueAt: { type: 'timestamptz', name: 'due_at' },
    assigneeId: { type: 'uuid', name: 'assignee_id' },
    leadId: { type: 'uuid', name: 'lead_id', nullable: true },
    opportunityId: { type: 'uuid', name: 'opportunity_id', nullable: true },
    status: { type: 'text' },
    completedAt: { type: 'timestamptz', name: 'completed_at', nullable: true },
    cancelReason: { type: 'text', name: 'cancel_reason', nullable: true },
    personLeadId: { type: 'uuid', name: 'person_lead_id', nullable: true },
    redacted: { type: 'jsonb', nullable: true },
    createdBy: { type: 'text', name: 'created_by' },
    createdAt: { type: 'timestamptz', name: 'created_at' },
    updatedAt: { type: 'timestamptz', name: 'updated_at' },
    version: { type: 'integer' },
    dueNotifiedAt: { type: 'timestamptz', name: 'due_notified_at', nullable: true },
    overdueNotifiedAt: { type: 'timestamptz', name: 'overdue_notified_at', nullable: true },
  },
});

export interface NotificationRow {
  id: string;
  recipientId: string;
  recipientTeamId: string | null;
  kind: string;
  title: string;
  body: string;
  leadId: string | null;
  opportunityId: string | null;
  taskId: string | null;
  sourceKey: string;
  createdAt: Date;
  readAt: Date | null;
}

export const NotificationEntity = new EntitySchema<NotificationRow>({
  name: 'Notification',
  tableName: 'notification',
  columns: {
    id: { type: 'uuid', primary: true },
    recipientId: { type: 'text', name: 'recipient_id' },
    recipientTeamId: { type: 'text', name: 'recipient_team_id', nullable: true },
    kind: { type: 'text' },
    title: { type: 'text' },
    body: { type: 'text' },
    leadId: { type: 'uuid', name: 'lead_id', nullable: true },
    opportunityId: { type: 'uuid', name: 'opportunity_id', nullable: true },
    taskId: { type: 'uuid', name: 'task_id', nullable: true },
    sourceKey: { type: 'text', name: 'source_key' },
    createdAt: { type: 'timestamptz', name: 'created_at' },
    readAt: { type: 'timestamptz', name: 'read_at', nullable: true },
  },
});

export interface RepRow {
  id: string;
  name: string;
  role: string;
  teamId: string | null;
  active: boolean;
  version: number;
}

export const RepEntity = new EntitySchema<RepRow>({
  name: 'Rep',
  tableName: 'rep',
  columns: {
    id: { type: 'uuid', primary: true },
    name: { type: 'text' },
    role: { type: 'text' },
    teamId: { type: 'text', name: 'team_id', nullable: true },
    active: { type: 'boolean' },
    version: { type: 'integer' },
  },
});

export interface LeadSnapshotRow {
  id: string;
  version: number;
  name: string;
  company: string;
  status: string;
  ownerId: string | null;
  personal: PersonalDataEnvelope | null;
}

export const LeadSnapshotEntity = new EntitySchema<LeadSnapshotRow>({
  name: 'LeadSnapshot',
  tableName: 'lead_snapshot',
  columns: {
    id: { type: 'uuid', primary: true },
    version: { type: 'integer' },
    name: { type: 'text' },
    company: { type: 'text' },
    status: { type: 'text' },
    ownerId: { type: 'uuid', name: 'owner_id', nullable: true },
    personal: { type: 'jsonb', nullable: true },
  },
});

export interface OpportunitySnapshotRow {
  id: string;
  version: number;
  name: string;
  status: string;
  stage: string;
  ownerId: string | null;
  stageEnteredAt: Date | null;
  stalledNotifiedAt: Date | null;
  leadId: string | null;
}

export const OpportunitySnapshotEntity = new EntitySchema<OpportunitySnapshotRow>({
  name: 'OpportunitySnapshot',
  tableName: 'opportunity_snapshot',
  columns: {
    id: { type: 'uuid', primary: true },
    version: { type: 'integer' },
    name: { type: 'text' },
    status: { type: 'text' },
    stage: { type: 'text' },
    ownerId: { type: 'uuid', name: 'owner_id', nullable: true },
    stageEnteredAt: { type: 'timestamptz', name: 'stage_entered_at', nullable: true },
    stalledNotifiedAt: { type: 'timestamptz', name: 'stalled_notified_at', nullable: true },
    leadId: { type: 'uuid', name: 'lead_id', nullable: true },
  },
});

export interface WebhookEndpointRow {
  id: string;
  teamId: string;
  url: string;
  secret: string;
  active: boolean;
  createdBy: string;
  createdAt: Date;
}

export const WebhookEndpointEntity = new EntitySchema<WebhookEndpointRow>({
  name: 'WebhookEndpoint',
  tableName: 'webhook_endpoint',
  columns: {
    id: { type: 'uuid', primary: true },
    teamId: { type: 'text', name: 'team_id' },
    url: { type: 'text' },
    secret: { type: 'text' },
    active: { type: 'boolean' },
    createdBy: { type: 'text', name: 'created_by' },
    createdAt: { type: 'timestamptz', name: 'created_at' },
  },
});

export interface WebhookDeliveryRow {
  id: string;
  endpointId: string;
  notificationId: string;
  payload: unknown;
  status: string;
  attempts: number;
  nextAttemptAt: Date;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

export const WebhookDeliveryEntity = new EntitySchema<WebhookDeliveryRow>({
  name: 'WebhookDelivery',
  tableName: 'webhook_delivery',
  columns: {
    id: { type: 'uuid', primary: true },
    endpointId: { type: 'uuid', name: 'endpoint_id' },
    notificationId: { type: 'uuid', name: 'notification_id' },
    payload: { type: 'jsonb' },
    status: { type: 'text' },
    attempts: { type: 'integer' },
    nextAttemptAt: { type: 'timestamptz', name: 'next_attempt_at' },
    lastStatus: { type: 'integer', name: 'last_status', nullable: true },
    lastError: { type: 'text', name: 'last_error', nullable: true },
    deliveredAt: { type: 'timestamptz', name: 'delivered_at', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at' },
  },
});

export const ENGAGEMENT_ENTITIES = [
  TaskEntity,
  NotificationEntity,
  RepEntity,
  LeadSnapshotEntity,
  OpportunitySnapshotEntity,
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
];
