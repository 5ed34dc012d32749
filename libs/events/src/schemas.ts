import {
  ACTIVITY_TYPES,
  APPROVAL_STATUSES,
  COMMITMENT_TYPES,
  CONTACT_ROLES,
  DEAL_OUTCOMES,
  LEAD_SOURCES,
  LEAD_STATUSES,
  LOST_REASONS,
  OBJECTION_CATEGORIES,
  OPPORTUNITY_STATUSES,
  ROLES,
  STAGE_CATEGORIES,
} from '@pipeline/domain';
import { type Static, type TSchema, Type } from '@sinclair/typebox';

import { type TopicName, TOPICS } from './topics';

// One source for the event contract: TypeScript types, JSON Schemas and the AsyncAPI document all derive from here.
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Enum = <T extends string>(values: readonly T[]) => Type.Union(values.map((value) => Type.Literal(value)));
const Id = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const DateOnly = Type.String({ format: 'date' });

export const MoneySchema = Type.Object(
  {
    amount: Type.String({ pattern: '^-?[0-9]+(\\.[0-9]+)?$', description: 'Decimal as a string, never a float' }),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' }),
  },
  { additionalProperties: false },
);

// ---------------------------------------------------------------- personal data (crypto-shredding)

// Added: a person's fields encrypted with that person's own key, which only the owning service holds and erasure
// destroys; after that no replay can read them. Plaintext fields beside it are redacted ("" or null).
export const PersonalDataEnvelopeSchema = Type.Object(
  {
    alg: Type.Literal('AES-256-GCM'),
    keyId: Type.String({ description: 'The data subject whose key sealed it (the lead id for a lead person)' }),
    iv: Type.String({ description: 'Base64, 12 bytes' }),
    tag: Type.String({ description: 'Base64 GCM authentication tag; the key id is the additional authenticated data' }),
    ciphertext: Type.String({ description: 'Base64 of the UTF-8 JSON of the personal fields' }),
  },
  { additionalProperties: false },
);

// ---------------------------------------------------------------- stage changes (the analysts' stream)

export const OpportunitySnapshotSchema = Type.Object({
  name: Type.String(),
  accountName: Type.String(),
  industry: Nullable(Type.String()),
  amount: Nullable(MoneySchema),
  probability: Type.Number({ minimum: 0, maximum: 1 }),
  ownerId: Nullable(Type.String()),
  leadId: Nullable(Type.String()),
  leadSource: Nullable(Enum(LEAD_SOURCES)),
  expectedCloseDate: Nullable(DateOnly),
  createdAt: DateTime,
  // Added fields (optional by the contract's rules): the pipeline's status and the owner's team.
  status: Type.Optional(Enum(OPPORTUNITY_STATUSES)),
  ownerTeamId: Type.Optional(Nullable(Type.String())),
  region: Type.Optional(Nullable(Type.String())),
  // Added: true while the opportunity is archived (out of lists, the board and KPIs until restored).
  archived: Type.Optional(Type.Boolean()),
  // Added: the account entity, when the opportunity has one.
  accountId: Type.Optional(Nullable(Type.String())),
});

export const StageChangedSchema = Type.Object({
  opportunityId: Id,
  pipelineId: Id,
  fromStage: Nullable(Type.String()),
  toStage: Type.String(),
  toStageCategory: Enum(STAGE_CATEGORIES),
  changedAt: DateTime,
  changedBy: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  version: Type.Integer({ minimum: 1 }),
  previousStageEnteredAt: Nullable(DateTime),
  opportunity: OpportunitySnapshotSchema,
  // Added: the stage's position and default probability, so consumers need no pipeline lookup.
  toStagePosition: Type.Optional(Type.Integer()),
  fromStagePosition: Type.Optional(Nullable(Type.Integer())),
  // Added: counts stage changes only (1 on creation), so a reader of this topic alone can tell a gap.
  stageSequence: Type.Optional(Type.Integer({ minimum: 1 })),
  // Added: free text of an opportunity made from a lead that names the lead's person (name, stage-change reason,
  // archive reason) is published with the person replaced by "[person]"; the original text is here, encrypted with the
  // lead's key ({ name?, previousName?, reason? }); absent when nothing named them or once the person was erased.
  personal: Type.Optional(PersonalDataEnvelopeSchema),
});

// ---------------------------------------------------------------- leads

export const LeadSnapshotSchema = Type.Object({
  // Since personal data is encrypted: "" (the person's name is in personal).
  name: Type.String(),
  company: Type.String(),
  // Since personal data is encrypted: null (the email is in personal).
  email: Nullable(Type.String()),
  industry: Nullable(Type.String()),
  region: Nullable(Type.String()),
  source: Enum(LEAD_SOURCES),
  // Since personal data is encrypted: null (free text that often names the person; it is in personal).
  sourceDetail: Nullable(Type.String()),
  status: Enum(LEAD_STATUSES),
  score: Type.Integer({ minimum: 0, maximum: 100 }),
  ownerId: Nullable(Type.String()),
  ownerTeamId: Nullable(Type.String()),
  estimatedValue: Nullable(MoneySchema),
  need: Nullable(Type.String()),
  opportunityId: Nullable(Type.String()),
  createdAt: DateTime,
  // Added: true while the lead is archived (out of lists and KPIs until restored).
  archived: Type.Optional(Type.Boolean()),
  // Added: { name, email, phone, sourceDetail } encrypted with the person's key; absent once the person was erased.
  personal: Type.Optional(PersonalDataEnvelopeSchema),
});

const leadEvent = <T extends Record<string, TSchema>>(fields: T) =>
  Type.Object({ leadId: Id, version: Type.Integer({ minimum: 1 }), lead: LeadSnapshotSchema, ...fields });

export const LeadCreatedSchema = leadEvent({});
export const LeadAssignedSchema = leadEvent({
  ownerId: Nullable(Type.String()),
  previousOwnerId: Nullable(Type.String()),
  reason: Type.String(),
  assignedBy: Nullable(Type.String()),
});
export const LeadQualifiedSchema = leadEvent({ criteriaVersion: Type.Integer(), qualifiedAt: DateTime });
export const LeadDisqualifiedSchema = leadEvent({ criteriaVersion: Type.Integer(), unmetCriteria: Type.Array(Type.String()), qualifiedAt: DateTime });
export const LeadConvertedSchema = leadEvent({ opportunityId: Id, convertedAt: DateTime });
export const LeadUpdatedSchema = leadEvent({ changes: Type.Array(Type.String()) });
export const LeadArchivedSchema = leadEvent({ reason: Nullable(Type.String()), archivedBy: Nullable(Type.String()), archivedAt: DateTime });
export const LeadRestoredSchema = leadEvent({ restoredBy: Nullable(Type.String()) });
// Added: the lead's person was erased: the owner destroyed the key and scrubbed its rows; every copy must go.
export const LeadErasedSchema = Type.Object({
  leadId: Id,
  opportunityId: Nullable(Id),
  erasedAt: DateTime,
  erasedBy: Nullable(Type.String()),
});
export const LeadMergedSchema = leadEvent({ mergedIntoLeadId: Id, movedActivityCount: Type.Integer({ minimum: 0 }), mergedBy: Nullable(Type.String()) });

// ---------------------------------------------------------------- reps (added topic)

export const RepSchema = Type.Object({
  repId: Id,
  name: Type.String(),
  email: Type.String(),
  role: Enum(ROLES),
  teamId: Nullable(Type.String()),
  active: Type.Boolean(),
  version: Type.Integer({ minimum: 1 }),
});

// ---------------------------------------------------------------- opportunities

export const OpportunityStateSchema = Type.Object({
  opportunityId: Id,
  version: Type.Integer({ minimum: 1 }),
  pipelineId: Id,
  stage: Type.String(),
  stageCategory: Enum(STAGE_CATEGORIES),
  opportunity: OpportunitySnapshotSchema,
  // Added: free text of an opportunity made from a lead that names the lead's person (name, stage-change reason,
  // archive reason) is published with the person replaced by "[person]"; the original text is here, encrypted with the
  // lead's key ({ name?, previousName?, reason? }); absent when nothing named them or once the person was erased.
  personal: Type.Optional(PersonalDataEnvelopeSchema),
});
export const OpportunityCreatedSchema = OpportunityStateSchema;
// Added: the value each changed snapshot field had before this change (only those that changed), so a reader of the
// topic sees slips (a close date pushed out, an amount cut, an owner swapped) without keeping every earlier snapshot.
export const OpportunityPreviousValuesSchema = Type.Partial(
  Type.Pick(OpportunitySnapshotSchema, [
    'name',
    'accountName',
    'industry',
    'region',
    'amount',
    'probability',
    'ownerId',
    'ownerTeamId',
    'expectedCloseDate',
    'status',
  ]),
  { additionalProperties: false },
);
export const OpportunityUpdatedSchema = Type.Composite([
  OpportunityStateSchema,
  Type.Object({
    changes: Type.Array(Type.String()),
    previous: Type.Optional(OpportunityPreviousValuesSchema),
    changedBy: Type.Optional(Nullable(Type.String())),
  }),
]);
export const OpportunityArchivedSchema = Type.Composite([
  OpportunityStateSchema,
  Type.Object({ reason: Nullable(Type.String()), archivedBy: Nullable(Type.String()), archivedAt: DateTime }),
]);
export const OpportunityRestoredSchema = Type.Composite([OpportunityStateSchema, Type.Object({ restoredBy: Nullable(Type.String()) })]);
export const ActivityLoggedSchema = Type.Object({
  opportunityId: Id,
  activityId: Id,
  type: Enum(ACTIVITY_TYPES),
  // Since free text is checked for the lead's person: their name, email or phone replaced by "[person]".
  subject: Type.String(),
  occurredAt: DateTime,
  ownerId: Nullable(Type.String()),
  // Added: { subject } as typed, encrypted with the opportunity's lead's key, when the subject named the lead's person.
  personal: Type.Optional(PersonalDataEnvelopeSchema),
});
// A stage move the gates refused: the caller got STAGE_GATE_FAILED and nothing moved; this records the friction.
export const StageMoveRefusedSchema = Type.Object({
  opportunityId: Id,
  pipelineId: Id,
  fromStage: Type.String(),
  toStage: Type.String(),
  unmetCriteria: Type.Array(Type.String()),
  refusedAt: DateTime,
  refusedBy: Nullable(Type.String()),
  ownerId: Nullable(Type.String()),
  // The opportunity's version when refused (unchanged by the refusal).
  version: Type.Integer({ minimum: 1 }),
});

// ---------------------------------------------------------------- process changes (so their effect can be measured)

export const PipelineRevisedSchema = Type.Object({
  pipelineId: Id,
  name: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  revisedAt: DateTime,
  revisedBy: Nullable(Type.String()),
  stages: Type.Array(
    Type.Object({
      key: Type.String(),
      position: Type.Integer(),
      category: Enum(STAGE_CATEGORIES),
      probability: Type.Number({ minimum: 0, maximum: 1 }),
      entryCriteria: Type.Array(Type.String()),
      exitCriteria: Type.Array(Type.String()),
      active: Type.Boolean(),
    }),
  ),
});
export const QualificationCriteriaChangedSchema = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  changedAt: DateTime,
  changedBy: Nullable(Type.String()),
  minimumBudget: Nullable(MoneySchema),
  maxPurchaseHorizonDays: Type.Integer(),
  requireDecisionMaker: Type.Boolean(),
  requireConfirmedNeed: Type.Boolean(),
});
export const ScoringModelActivatedSchema = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  activatedAt: DateTime,
  activatedBy: Nullable(Type.String()),
  trainingSize: Type.Integer(),
  brierScore: Nullable(Type.Number()),
});

// ---------------------------------------------------------------- deals

const dealEvent = <T extends Record<string, TSchema>>(fields: T) =>
  Type.Object({ opportunityId: Id, dealId: Id, occurredAt: DateTime, actorId: Nullable(Type.String()), ...fields });

export const ProposalCreatedSchema = dealEvent({ proposalId: Id, proposalVersion: Type.Integer(), total: MoneySchema });
export const ProposalSentSchema = dealEvent({ proposalId: Id, proposalVersion: Type.Integer(), total: MoneySchema, sentAt: DateTime });
export const ProposalDecidedSchema = dealEvent({ proposalId: Id, accepted: Type.Boolean(), reason: Nullable(Type.String()) });
export const DealTermsSetSchema = dealEvent({
  discountPercent: Type.Number(),
  paymentTermsDays: Type.Integer(),
  contractLengthMonths: Type.Integer(),
  approvalStatus: Nullable(Enum(APPROVAL_STATUSES)),
  effective: Type.Boolean(),
});
export const DiscountDecidedSchema = dealEvent({ approvalId: Id, requestedPercent: Type.Number(), approved: Type.Boolean(), note: Nullable(Type.String()) });
export const CommitmentRecordedSchema = dealEvent({
  type: Enum(COMMITMENT_TYPES),
  // Since personal data is encrypted: "" (the contact's name is in personal, sealed with the opportunity's lead's key).
  contactName: Type.String(),
  committedAt: DateTime,
  // Added: { contactName } encrypted; absent once the lead's person was erased.
  personal: Type.Optional(PersonalDataEnvelopeSchema),
});
export const DealClosedSchema = dealEvent({
  outcome: Enum(DEAL_OUTCOMES),
  lostReason: Nullable(Enum(LOST_REASONS)),
  closeNote: Nullable(Type.String()),
  closedAt: DateTime,
  deferredUntil: Nullable(DateOnly),
  amount: Type.Optional(Nullable(MoneySchema)),
  competitor: Type.Optional(Nullable(Type.String())),
});
export const ObjectionRecordedSchema = dealEvent({ objectionId: Id, category: Enum(OBJECTION_CATEGORIES) });
export const DealReopenedSchema = dealEvent({ previousOutcome: Enum(DEAL_OUTCOMES), reason: Type.String() });

// ---------------------------------------------------------------- tasks (added topic)

export const TASK_STATUSES = ['OPEN', 'DONE', 'CANCELLED'] as const;

// Every task fact carries the task's state after the change, so a reader of this topic alone can keep a copy.
const taskEvent = <T extends Record<string, TSchema>>(fields: T) =>
  Type.Object({
    taskId: Id,
    version: Type.Integer({ minimum: 1 }),
    leadId: Nullable(Id),
    opportunityId: Nullable(Id),
    assigneeId: Id,
    // "" for a task on a lead (the title often names the person; it is in personal, sealed with the lead's key).
    title: Type.String(),
    dueAt: DateTime,
    status: Enum(TASK_STATUSES),
    occurredAt: DateTime,
    actorId: Nullable(Type.String()),
    // Added: { title, reason? } of a task on a lead, encrypted with the lead's key; absent once the lead's person was erased.
    personal: Type.Optional(PersonalDataEnvelopeSchema),
    ...fields,
  });

export const TaskCreatedSchema = taskEvent({});
export const TaskCompletedSchema = taskEvent({ completedAt: DateTime });
export const TaskRescheduledSchema = taskEvent({ previousDueAt: DateTime });
// null for a task on a lead (free text; it is in personal with the title).
export const TaskCancelledSchema = taskEvent({ reason: Nullable(Type.String()) });

// ---------------------------------------------------------------- accounts and contacts (added topic)

export const AccountCreatedSchema = Type.Object({
  accountId: Id,
  // A company's name, not a person's: in plain text like an opportunity's accountName.
  name: Type.String(),
  industry: Nullable(Type.String()),
  region: Nullable(Type.String()),
  createdAt: DateTime,
  createdBy: Nullable(Type.String()),
});

// A contact is a person: no plaintext field names them. Their name, email, phone and title travel only in personal.
export const ContactCreatedSchema = Type.Object({
  contactId: Id,
  accountId: Nullable(Id),
  // The lead the person was converted from, or null for a contact entered directly.
  leadId: Nullable(Id),
  createdAt: DateTime,
  createdBy: Nullable(Type.String()),
  // { name, email, phone, title } encrypted with the person's key (keyId: the lead id when made from a lead, else the
  // contact id); absent once the person was erased.
  personal: Type.Optional(PersonalDataEnvelopeSchema),
});
export const ContactLinkedSchema = Type.Object({
  contactId: Id,
  opportunityId: Id,
  accountId: Nullable(Id),
  role: Enum(CONTACT_ROLES),
  // The role it had on the opportunity before (naming a contact again changes the role), or null when newly named.
  previousRole: Nullable(Enum(CONTACT_ROLES)),
  linkedAt: DateTime,
  linkedBy: Nullable(Type.String()),
});
export const ContactUnlinkedSchema = Type.Object({
  contactId: Id,
  opportunityId: Id,
  accountId: Nullable(Id),
  // The role it had until unlinked.
  role: Enum(CONTACT_ROLES),
  unlinkedAt: DateTime,
  unlinkedBy: Nullable(Type.String()),
});
// Names no one: the key that sealed the contact's personal fields is destroyed; copies must go.
export const ContactErasedSchema = Type.Object({
  contactId: Id,
  accountId: Nullable(Id),
  leadId: Nullable(Id),
  erasedAt: DateTime,
  erasedBy: Nullable(Type.String()),
});

// ---------------------------------------------------------------- the catalogue

export interface EventDefinition {
  type: string;
  topic: TopicName;
  aggregate: 'opportunity' | 'lead' | 'rep' | 'task' | 'account' | 'contact' | 'process';
  description: string;
  data: TSchema;
}

const define = (type: string, topic: TopicName, aggregate: EventDefinition['aggregate'], description: string, data: TSchema): EventDefinition => ({
  type,
  topic,
  aggregate,
  description,
  data,
});

export const EVENT_TYPES = {
  stageChanged: 'sales.opportunity.stage_changed.v1',
  leadCreated: 'sales.lead.created.v1',
  leadAssigned: 'sales.lead.assigned.v1',
  leadQualified: 'sales.lead.qualified.v1',
  leadDisqualified: 'sales.lead.disqualified.v1',
  leadConverted: 'sales.lead.converted.v1',
  leadUpdated: 'sales.lead.updated.v1',
  leadArchived: 'sales.lead.archived.v1',
  leadRestored: 'sales.lead.restored.v1',
  leadMerged: 'sales.lead.merged.v1',
  leadErased: 'sales.lead.erased.v1',
  repRegistered: 'sales.rep.registered.v1',
  repUpdated: 'sales.rep.updated.v1',
  opportunityCreated: 'sales.opportunity.created.v1',
  opportunityUpdated: 'sales.opportunity.updated.v1',
  opportunityArchived: 'sales.opportunity.archived.v1',
  opportunityRestored: 'sales.opportunity.restored.v1',
  activityLogged: 'sales.opportunity.activity_logged.v1',
  stageMoveRefused: 'sales.opportunity.stage_move_refused.v1',
  proposalCreated: 'sales.proposal.created.v1',
  proposalSent: 'sales.proposal.sent.v1',
  proposalDecided: 'sales.proposal.decided.v1',
  dealTermsSet: 'sales.deal.terms_set.v1',
  discountDecided: 'sales.deal.discount_decided.v1',
  commitmentRecorded: 'sales.deal.commitment_recorded.v1',
  dealClosed: 'sales.deal.closed.v1',
  dealReopened: 'sales.deal.reopened.v1',
  taskCreated: 'sales.task.created.v1',
  taskCompleted: 'sales.task.completed.v1',
  taskRescheduled: 'sales.task.rescheduled.v1',
  taskCancelled: 'sales.task.cancelled.v1',
  objectionRecorded: 'sales.deal.objection_recorded.v1',
  pipelineRevised: 'sales.pipeline.revised.v1',
  qualificationCriteriaChanged: 'sales.qualification.criteria_changed.v1',
  scoringModelActivated: 'sales.scoring.model_activated.v1',
  accountCreated: 'sales.account.created.v1',
  contactCreated: 'sales.contact.created.v1',
  contactLinked: 'sales.contact.linked.v1',
  contactUnlinked: 'sales.contact.unlinked.v1',
  contactErased: 'sales.contact.erased.v1',
} as const;

export type EventType = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES];

export const EVENT_CATALOGUE: EventDefinition[] = [
  define(
    EVENT_TYPES.stageChanged,
    TOPICS.stageChanged,
    'opportunity',
    'An opportunity entered a stage (creation has fromStage null; WON and LOST stages close it).',
    StageChangedSchema,
  ),
  define(EVENT_TYPES.leadCreated, TOPICS.leadEvents, 'lead', 'A lead was logged.', LeadCreatedSchema),
  define(EVENT_TYPES.leadAssigned, TOPICS.leadEvents, 'lead', 'A lead got an owner, by rule or by hand.', LeadAssignedSchema),
  define(EVENT_TYPES.leadQualified, TOPICS.leadEvents, 'lead', 'A lead met every qualification criterion.', LeadQualifiedSchema),
  define(EVENT_TYPES.leadDisqualified, TOPICS.leadEvents, 'lead', 'A lead failed at least one qualification criterion.', LeadDisqualifiedSchema),
  define(EVENT_TYPES.leadConverted, TOPICS.leadEvents, 'lead', 'A lead became an opportunity.', LeadConvertedSchema),
  define(EVENT_TYPES.leadUpdated, TOPICS.leadEvents, 'lead', 'A lead changed (data, score or status) outside the events above.', LeadUpdatedSchema),
  define(EVENT_TYPES.leadArchived, TOPICS.leadEvents, 'lead', 'A lead was archived: out of lists and KPIs, every field kept, restorable.', LeadArchivedSchema),
  define(EVENT_TYPES.leadRestored, TOPICS.leadEvents, 'lead', 'An archived lead was restored.', LeadRestoredSchema),
  define(
    EVENT_TYPES.leadMerged,
    TOPICS.leadEvents,
    'lead',
    'A duplicate lead was merged into another: its activities moved there, it is archived for good and points to the winner.',
    LeadMergedSchema,
  ),
  define(
    EVENT_TYPES.leadErased,
    TOPICS.leadEvents,
    'lead',
    "A lead's person was erased (GDPR): their key is destroyed, so earlier events' personal fields are unreadable; consumers scrub their copies.",
    LeadErasedSchema,
  ),
  define(EVENT_TYPES.repRegistered, TOPICS.repEvents, 'rep', 'A sales rep was registered.', RepSchema),
  define(EVENT_TYPES.repUpdated, TOPICS.repEvents, 'rep', 'A sales rep changed team, role or activity.', RepSchema),
  define(
    EVENT_TYPES.opportunityCreated,
    TOPICS.opportunityEvents,
    'opportunity',
    'An opportunity was created, directly or from a lead.',
    OpportunityCreatedSchema,
  ),
  define(EVENT_TYPES.opportunityUpdated, TOPICS.opportunityEvents, 'opportunity', 'An opportunity changed.', OpportunityUpdatedSchema),
  define(
    EVENT_TYPES.opportunityArchived,
    TOPICS.opportunityEvents,
    'opportunity',
    'An opportunity was archived: out of lists, the board and KPIs, every field kept, restorable.',
    OpportunityArchivedSchema,
  ),
  define(EVENT_TYPES.opportunityRestored, TOPICS.opportunityEvents, 'opportunity', 'An archived opportunity was restored.', OpportunityRestoredSchema),
  define(
    EVENT_TYPES.activityLogged,
    TOPICS.opportunityEvents,
    'opportunity',
    'A call, email, meeting, task or note was logged on an opportunity.',
    ActivityLoggedSchema,
  ),
  define(
    EVENT_TYPES.stageMoveRefused,
    TOPICS.opportunityEvents,
    'opportunity',
    'A stage move was refused by the stage gates (the unmet criteria are listed); nothing moved.',
    StageMoveRefusedSchema,
  ),
  define(EVENT_TYPES.proposalCreated, TOPICS.dealEvents, 'opportunity', 'A proposal version was drafted.', ProposalCreatedSchema),
  define(EVENT_TYPES.proposalSent, TOPICS.dealEvents, 'opportunity', 'A proposal was sent to the prospect.', ProposalSentSchema),
  define(EVENT_TYPES.proposalDecided, TOPICS.dealEvents, 'opportunity', 'The prospect accepted or rejected a sent proposal.', ProposalDecidedSchema),
  define(
    EVENT_TYPES.dealTermsSet,
    TOPICS.dealEvents,
    'opportunity',
    'Negotiated terms were proposed (effective at once or pending a discount approval).',
    DealTermsSetSchema,
  ),
  define(EVENT_TYPES.discountDecided, TOPICS.dealEvents, 'opportunity', 'A manager approved or rejected a discount.', DiscountDecidedSchema),
  define(EVENT_TYPES.commitmentRecorded, TOPICS.dealEvents, 'opportunity', 'The prospect committed verbally or in writing.', CommitmentRecordedSchema),
  define(EVENT_TYPES.dealClosed, TOPICS.dealEvents, 'opportunity', 'A deal was closed won, lost or deferred.', DealClosedSchema),
  define(EVENT_TYPES.dealReopened, TOPICS.dealEvents, 'opportunity', 'A manager reopened a closed deal.', DealReopenedSchema),
  define(
    EVENT_TYPES.taskCreated,
    TOPICS.taskEvents,
    'task',
    'A follow-up task was planned on a lead or an opportunity, due at a time, for a rep.',
    TaskCreatedSchema,
  ),
  define(EVENT_TYPES.taskCompleted, TOPICS.taskEvents, 'task', 'A task was done.', TaskCompletedSchema),
  define(EVENT_TYPES.taskRescheduled, TOPICS.taskEvents, 'task', 'A task got a new due time.', TaskRescheduledSchema),
  define(EVENT_TYPES.taskCancelled, TOPICS.taskEvents, 'task', 'A task was cancelled without being done.', TaskCancelledSchema),
  define(
    EVENT_TYPES.objectionRecorded,
    TOPICS.dealEvents,
    'opportunity',
    'The prospect raised an objection, recorded by category on the deal.',
    ObjectionRecordedSchema,
  ),
  define(
    EVENT_TYPES.pipelineRevised,
    TOPICS.opportunityEvents,
    'process',
    'A pipeline was created or its stages changed (a new version; keyed by pipeline id).',
    PipelineRevisedSchema,
  ),
  define(
    EVENT_TYPES.qualificationCriteriaChanged,
    TOPICS.leadEvents,
    'process',
    'A new version of the qualification criteria took effect (keyed "qualification-criteria").',
    QualificationCriteriaChangedSchema,
  ),
  define(
    EVENT_TYPES.scoringModelActivated,
    TOPICS.leadEvents,
    'process',
    'A newly trained lead scoring model became the active one (keyed "scoring-model").',
    ScoringModelActivatedSchema,
  ),
  define(
    EVENT_TYPES.accountCreated,
    TOPICS.accountEvents,
    'account',
    'An account (a company) was created because an opportunity, a conversion or an import named one not known yet.',
    AccountCreatedSchema,
  ),
  define(
    EVENT_TYPES.contactCreated,
    TOPICS.accountEvents,
    'contact',
    "A contact (a person at an account) was created, directly or from a converted lead's person; keyed by contact id.",
    ContactCreatedSchema,
  ),
  define(
    EVENT_TYPES.contactLinked,
    TOPICS.accountEvents,
    'contact',
    'A contact was named on an opportunity with a role, or their role there changed; keyed by contact id.',
    ContactLinkedSchema,
  ),
  define(
    EVENT_TYPES.contactUnlinked,
    TOPICS.accountEvents,
    'contact',
    'A contact was removed from an opportunity; keyed by contact id.',
    ContactUnlinkedSchema,
  ),
  define(
    EVENT_TYPES.contactErased,
    TOPICS.accountEvents,
    'contact',
    "A contact's person was erased (GDPR): their key is destroyed, so earlier contact events' personal fields are unreadable; keyed by contact id.",
    ContactErasedSchema,
  ),
];

export const eventDefinition = (type: string): EventDefinition | undefined => EVENT_CATALOGUE.find((definition) => definition.type === type);

export type StageChangedData = Static<typeof StageChangedSchema>;
export type OpportunitySnapshot = Static<typeof OpportunitySnapshotSchema>;
export type LeadSnapshot = Static<typeof LeadSnapshotSchema>;
export type LeadCreatedData = Static<typeof LeadCreatedSchema>;
export type LeadAssignedData = Static<typeof LeadAssignedSchema>;
export type LeadQualifiedData = Static<typeof LeadQualifiedSchema>;
export type LeadDisqualifiedData = Static<typeof LeadDisqualifiedSchema>;
export type LeadConvertedData = Static<typeof LeadConvertedSchema>;
export type LeadUpdatedData = Static<typeof LeadUpdatedSchema>;
export type LeadArchivedData = Static<typeof LeadArchivedSchema>;
export type LeadRestoredData = Static<typeof LeadRestoredSchema>;
export type LeadMergedData = Static<typeof LeadMergedSchema>;
export type LeadErasedData = Static<typeof LeadErasedSchema>;
export type PersonalDataEnvelope = Static<typeof PersonalDataEnvelopeSchema>;
export type OpportunityArchivedData = Static<typeof OpportunityArchivedSchema>;
export type OpportunityRestoredData = Static<typeof OpportunityRestoredSchema>;
export type RepData = Static<typeof RepSchema>;
export type OpportunityCreatedData = Static<typeof OpportunityCreatedSchema>;
export type OpportunityUpdatedData = Static<typeof OpportunityUpdatedSchema>;
export type ActivityLoggedData = Static<typeof ActivityLoggedSchema>;
export type StageMoveRefusedData = Static<typeof StageMoveRefusedSchema>;
export type ProposalCreatedData = Static<typeof ProposalCreatedSchema>;
export type ProposalSentData = Static<typeof ProposalSentSchema>;
export type ProposalDecidedData = Static<typeof ProposalDecidedSchema>;
export type DealTermsSetData = Static<typeof DealTermsSetSchema>;
export type DiscountDecidedData = Static<typeof DiscountDecidedSchema>;
export type CommitmentRecordedData = Static<typeof CommitmentRecordedSchema>;
export type DealClosedData = Static<typeof DealClosedSchema>;
export type DealReopenedData = Static<typeof DealReopenedSchema>;
export type MoneyData = Static<typeof MoneySchema>;
export type TaskCreatedData = Static<typeof TaskCreatedSchema>;
export type TaskCompletedData = Static<typeof TaskCompletedSchema>;
export type TaskRescheduledData = Static<typeof TaskRescheduledSchema>;
export type TaskCancelledData = Static<typeof TaskCancelledSchema>;
export type ObjectionRecordedData = Static<typeof ObjectionRecordedSchema>;
export type PipelineRevisedData = Static<typeof PipelineRevisedSchema>;
export type QualificationCriteriaChangedData = Static<typeof QualificationCriteriaChangedSchema>;
export type ScoringModelActivatedData = Static<typeof ScoringModelActivatedSchema>;
export type AccountCreatedData = Static<typeof AccountCreatedSchema>;
export type ContactCreatedData = Static<typeof ContactCreatedSchema>;
export type ContactLinkedData = Static<typeof ContactLinkedSchema>;
export type ContactUnlinkedData = Static<typeof ContactUnlinkedSchema>;
export type ContactErasedData = Static<typeof ContactErasedSchema>;

// Which payload type goes with which event type, for typed handlers.
export interface EventDataMap {
  'sales.opportunity.stage_changed.v1': StageChangedData;
  'sales.lead.created.v1': LeadCreatedData;
  'sales.lead.assigned.v1': LeadAssignedData;
  'sales.lead.qualified.v1': LeadQualifiedData;
  'sales.lead.disqualified.v1': LeadDisqualifiedData;
  'sales.lead.converted.v1': LeadConvertedData;
  'sales.lead.updated.v1': LeadUpdatedData;
  'sales.lead.archived.v1': LeadArchivedData;
  'sales.lead.restored.v1': LeadRestoredData;
  'sales.lead.merged.v1': LeadMergedData;
  'sales.lead.erased.v1': LeadErasedData;
  'sales.rep.registered.v1': RepData;
  'sales.rep.updated.v1': RepData;
  'sales.opportunity.created.v1': OpportunityCreatedData;
  'sales.opportunity.updated.v1': OpportunityUpdatedData;
  'sales.opportunity.archived.v1': OpportunityArchivedData;
  'sales.opportunity.restored.v1': OpportunityRestoredData;
  'sales.opportunity.activity_logged.v1': ActivityLoggedData;
  'sales.opportunity.stage_move_refused.v1': StageMoveRefusedData;
  'sales.proposal.created.v1': ProposalCreatedData;
  'sales.proposal.sent.v1': ProposalSentData;
  'sales.proposal.decided.v1': ProposalDecidedData;
  'sales.deal.terms_set.v1': DealTermsSetData;
  'sales.deal.discount_decided.v1': DiscountDecidedData;
  'sales.deal.commitment_recorded.v1': CommitmentRecordedData;
  'sales.deal.closed.v1': DealClosedData;
  'sales.deal.reopened.v1': DealReopenedData;
  'sales.task.created.v1': TaskCreatedData;
  'sales.task.completed.v1': TaskCompletedData;
  'sales.task.rescheduled.v1': TaskRescheduledData;
  'sales.task.cancelled.v1': TaskCancelledData;
  'sales.deal.objection_recorded.v1': ObjectionRecordedData;
  'sales.pipeline.revised.v1': PipelineRevisedData;
  'sales.qualification.criteria_changed.v1': QualificationCriteriaChangedData;
  'sales.scoring.model_activated.v1': ScoringModelActivatedData;
  'sales.account.created.v1': AccountCreatedData;
  'sales.contact.created.v1': ContactCreatedData;
  'sales.contact.linked.v1': ContactLinkedData;
  'sales.contact.unlinked.v1': ContactUnlinkedData;
  'sales.contact.erased.v1': ContactErasedData;
}
