import { redactPersonOrNull } from '@pipeline/domain';
import { EVENT_TYPES, TOPICS } from '@pipeline/events';

// Events published before personal fields were sealed carry them in plain text. These rules say, for one such event,
// which fields to take out, whose key seals them and in which service's key table that key lives: the same fields, the
// same key and the same redacted values the services publish today (docs/contract/events.md, "Personal data").
export type KeyOwner = 'lead' | 'deal' | 'engagement';

export interface HistoryRedaction {
  owner: KeyOwner;
  subjectId: string;
  // Where the envelope goes: data.<path>.personal.
  path: readonly string[];
  fields: Record<string, unknown>;
  // The event's data with the plain fields redacted and no envelope yet.
  data: Record<string, unknown>;
}

export interface HistoryEvent {
  type: string;
  data: Record<string, unknown>;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const hasText = (value: unknown): boolean => typeof value === 'string' && value !== '';

// As the lead service publishes now: name, email and source detail sealed; the stated need and an archive reason with the
// person replaced by "[person]" and, where they named them, sealed as typed.
function redactLeadSnapshot(event: HistoryEvent): HistoryRedaction | null {
  const lead = event.data.lead;
  if (!isObject(lead) || 'personal' in lead || typeof event.data.leadId !== 'string') return null;
  if (!hasText(lead.name) && !hasText(lead.email) && !hasText(lead.sourceDetail)) return null;
  const person = { name: typeof lead.name === 'string' ? lead.name : null, email: typeof lead.email === 'string' ? lead.email : null };
  const need = typeof lead.need === 'string' ? lead.need : null;
  const reason = typeof event.data.reason === 'string' ? event.data.reason : null;
  const redactedNeed = redactPersonOrNull(need, person);
  const redactedReason = redactPersonOrNull(reason, person);
  return {
    owner: 'lead',
    subjectId: event.data.leadId,
    path: ['lead'],
    fields: {
      name: lead.name ?? '',
      email: lead.email ?? null,
      sourceDetail: lead.sourceDetail ?? null,
      ...(redactedNeed !== need ? { need } : {}),
      ...(redactedReason !== reason ? { reason } : {}),
    },
    data: {
      ...event.data,
      lead: { ...lead, name: '', email: null, sourceDetail: null, ...(redactedNeed !== need ? { need: redactedNeed } : {}) },
      ...(redactedReason !== reason ? { reason: redactedReason } : {}),
    },
  };
}

// The deal service seals a commitment with the key of the opportunity's lead, or of the deal when it has none.
function redactCommitment(event: HistoryEvent, leadOfOpportunity: (opportunityId: string) => string | undefined): HistoryRedaction | null {
  const { data } = event;
  if (event.type !== EVENT_TYPES.commitmentRecorded || 'personal' in data || !hasText(data.contactName)) return null;
  const subjectId = leadOfOpportunity(String(data.opportunityId)) ?? String(data.dealId);
  return { owner: 'deal', subjectId, path: [], fields: { contactName: data.contactName }, data: { ...data, contactName: '' } };
}

function redactTask(event: HistoryEvent): HistoryRedaction | null {
  const { data } = event;
  if (typeof data.leadId !== 'string' || 'personal' in data) return null;
  const cancelled = event.type === 'sales.task.cancelled.v1';
  if (!hasText(data.title) && !(cancelled && hasText(data.reason))) return null;
  return {
    owner: 'engagement',
    subjectId: data.leadId,
    path: [],
    fields: cancelled ? { title: data.title ?? '', reason: data.reason ?? null } : { title: data.title ?? '' },
    data: { ...data, title: '', ...(cancelled ? { reason: null } : {}) },
  };
}

// The topics (without prefix) whose history may hold personal fields in plain text.
export const TOPICS_WITH_PERSONAL_HISTORY: readonly string[] = [TOPICS.leadEvents, TOPICS.dealEvents, TOPICS.taskEvents];

export function planHistoryRedaction(
  topic: string,
  event: HistoryEvent,
  leadOfOpportunity: (opportunityId: string) => string | undefined,
): HistoryRedaction | null {
  if (!isObject(event.data)) return null;
  if (topic === TOPICS.leadEvents) return redactLeadSnapshot(event);
  if (topic === TOPICS.dealEvents) return redactCommitment(event, leadOfOpportunity);
  if (topic === TOPICS.taskEvents) return redactTask(event);
  return null;
}
