// What tells a person that something needs them; kinds are a closed set clients branch on.
export const NOTIFICATION_KINDS = [
  'LEAD_ASSIGNED',
  'LEAD_REASSIGNED_BY_SLA',
  'LEAD_TAKEN_BY_SLA',
  'DISCOUNT_APPROVAL_REQUESTED',
  'DISCOUNT_APPROVAL_DECIDED',
  'DEAL_STALLED',
  'TASK_DUE',
  'TASK_OVERDUE',
  'DAILY_DIGEST',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface Notification {
  id: string;
  recipientId: string;
  // The recipient's team when it was written: team webhooks deliver it.
  recipientTeamId: string | null;
  kind: NotificationKind;
  title: string;
  body: string;
  leadId: string | null;
  opportunityId: string | null;
  taskId: string | null;
  // What caused it (a CloudEvent id, or a scheduler's key): one notification per cause and recipient.
  sourceKey: string;
  createdAt: Date;
  readAt: Date | null;
}

export type NotificationDraft = Omit<Notification, 'id' | 'createdAt' | 'readAt' | 'recipientTeamId'>;

// The lead service's SLA sweep writes its reason this way (reassign-stale-leads); a hand assignment never does.
export const isSlaReassignment = (reason: string): boolean => reason.startsWith('SLA:');

export interface LeadAssignment {
  eventId: string;
  leadId: string;
  leadName: string;
  company: string;
  ownerId: string | null;
  previousOwnerId: string | null;
  assignedBy: string | null;
  reason: string;
}

// The new owner hears of a lead given to them (not when they took it themselves); after an SLA sweep the previous owner hears why it left.
export function notificationsForLeadAssignment(assignment: LeadAssignment): NotificationDraft[] {
  const base = { leadId: assignment.leadId, opportunityId: null, taskId: null, sourceKey: assignment.eventId };
  // Lead events carry the person's name only encrypted (an empty name), so the company names the lead then.
  const label = assignment.leadName ? `${assignment.leadName} (${assignment.company})` : assignment.company;
  const drafts: NotificationDraft[] = [];
  const sla = isSlaReassignment(assignment.reason);
  if (assignment.ownerId !== null && assignment.ownerId !== assignment.assignedBy && assignment.ownerId !== assignment.previousOwnerId) {
    drafts.push({
      ...base,
      recipientId: assignment.ownerId,
      kind: sla ? 'LEAD_REASSIGNED_BY_SLA' : 'LEAD_ASSIGNED',
      title: sla ? `Lead re-assigned to you by the SLA: ${label}` : `New lead assigned to you: ${label}`,
      body: assignment.reason,
    });
  }
  if (sla && assignment.previousOwnerId !== null && assignment.previousOwnerId !== assignment.ownerId) {
    drafts.push({
      ...base,
      recipientId: assignment.previousOwnerId,
      kind: 'LEAD_TAKEN_BY_SLA',
      title: `Lead moved away from you by the SLA: ${label}`,
      body: assignment.reason,
    });
  }
  return drafts;
}

export interface TeamMember {
  id: string;
  role: string;
  teamId: string | null;
  active: boolean;
}

// Discounts are decided by the managers of the owner's team (never the requester themselves).
export function approversFor(ownerTeamId: string | null, requesterId: string | null, members: readonly TeamMember[]): string[] {
  if (ownerTeamId === null) return [];
  return members
    .filter((member) => member.active && member.role === 'MANAGER' && member.teamId === ownerTeamId && member.id !== requesterId)
    .map((member) => member.id);
}

// An open opportunity is stalled once it has stayed in its stage longer than the stage's usual time.
export function isStalled(state: { status: string; stageEnteredAt: Date | null }, stalledAfterDays: number, now: Date): boolean {
  if (state.status !== 'OPEN' || state.stageEnteredAt === null || stalledAfterDays <= 0) return false;
  return now.getTime() - state.stageEnteredAt.getTime() > stalledAfterDays * 86_400_000;
}

// A task is "due" inside the lead window before its time, "overdue" after it; each is told once per due time.
export type DueState = 'NOT_YET' | 'DUE' | 'OVERDUE';
export function dueStateOf(dueAt: Date, now: Date, leadMs: number): DueState {
  if (dueAt.getTime() <= now.getTime()) return 'OVERDUE';
  return dueAt.getTime() - now.getTime() <= leadMs ? 'DUE' : 'NOT_YET';
}

export interface DigestFigures {
  recipientId: string;
  date: string;
  overdue: number;
  dueToday: number;
  unread: number;
}

// One digest per person and UTC day, only when something waits for them.
export function digestFor(figures: DigestFigures): NotificationDraft | null {
  if (figures.overdue + figures.dueToday + figures.unread === 0) return null;
  const parts = [
    `${figures.overdue} overdue task${figures.overdue === 1 ? '' : 's'}`,
    `${figures.dueToday} due today`,
    `${figures.unread} unread notification${figures.unread === 1 ? '' : 's'}`,
  ];
  return {
    recipientId: figures.recipientId,
    kind: 'DAILY_DIGEST',
    title: `Your day, ${figures.date}`,
    body: parts.join(', '),
    leadId: null,
    opportunityId: null,
    taskId: null,
    sourceKey: `digest:${figures.date}`,
  };
}
