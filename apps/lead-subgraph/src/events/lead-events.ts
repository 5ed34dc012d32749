import { redactPersonOrNull } from '@pipeline/domain';
import { createCloudEvent, EVENT_TYPES, type EventDataMap, type LeadErasedData, type LeadSnapshot, TOPICS } from '@pipeline/events';
import type { OutboxEntry } from '@pipeline/persistence';

import type { Lead } from '../domain/lead';
import { effectiveScore } from '../domain/lead';
import { ERASED_NAME } from '../domain/lead-erasure';
import type { SalesRep } from '../domain/sales-rep';

export const SOURCE = '/sales/lead-subgraph';

// The person's name, email, phone and the free-text source detail (often names them) leave the service only encrypted
// with the lead's own key (see leadEvent), so erasing the lead (destroying the key) leaves nothing readable on the topics;
// the plaintext fields stay in the contract, redacted.
export function leadSnapshot(lead: Lead): LeadSnapshot {
  return {
    name: '',
    company: lead.company,
    email: null,
    industry: lead.industry,
    region: lead.region,
    source: lead.source,
    sourceDetail: null,
    status: lead.status,
    score: effectiveScore(lead),
    ownerId: lead.ownerId,
    ownerTeamId: lead.ownerTeamId,
    estimatedValue: lead.estimatedValue,
    need: lead.qualification?.need ?? null,
    opportunityId: lead.opportunityId,
    createdAt: lead.createdAt.toISOString(),
    archived: lead.archivedAt !== null,
  };
}

type LeadEventType =
  | typeof EVENT_TYPES.leadCreated
  | typeof EVENT_TYPES.leadAssigned
  | typeof EVENT_TYPES.leadQualified
  | typeof EVENT_TYPES.leadDisqualified
  | typeof EVENT_TYPES.leadConverted
  | typeof EVENT_TYPES.leadUpdated
  | typeof EVENT_TYPES.leadArchived
  | typeof EVENT_TYPES.leadRestored
  | typeof EVENT_TYPES.leadMerged;

// Every lead event carries the lead's snapshot after the change, so consumers need no lookups. Free text typed about
// the lead (its stated need, an archive reason) goes out with the person replaced by "[person]", what was typed sealed.
export function leadEvent<T extends LeadEventType>(type: T, lead: Lead, extra: Omit<EventDataMap[T], 'leadId' | 'version' | 'lead'>, time: Date): OutboxEntry {
  const snapshot = leadSnapshot(lead);
  // An erased lead names no one any more ("Erased person" is not theirs to recognise).
  const person = lead.name === ERASED_NAME ? {} : { name: lead.name, email: lead.email, phone: lead.phone };
  const need = redactPersonOrNull(snapshot.need, person);
  const reason = 'reason' in extra && typeof extra.reason === 'string' ? extra.reason : null;
  const redactedReason = redactPersonOrNull(reason, person);
  const typed = { ...(need !== snapshot.need ? { need: snapshot.need } : {}), ...(redactedReason !== reason ? { reason } : {}) };
  const data = {
    leadId: lead.id,
    version: lead.version,
    lead: { ...snapshot, need },
    ...extra,
    ...(redactedReason !== reason ? { reason: redactedReason } : {}),
  } as EventDataMap[T];
  return {
    topic: TOPICS.leadEvents,
    aggregateType: 'lead',
    event: createCloudEvent({ type, source: SOURCE, subject: lead.id, data, time }),
    // Sealed at data.lead.personal in the writing transaction by appendToOutbox, with the key of this lead's person.
    personal: {
      subjectId: lead.id,
      path: ['lead'],
      fields: { name: lead.name, email: lead.email, phone: lead.phone, sourceDetail: lead.sourceDetail, ...typed },
    },
  };
}

export function leadErasedEvent(leadId: string, data: Omit<LeadErasedData, 'leadId'>, time: Date): OutboxEntry {
  return {
    topic: TOPICS.leadEvents,
    aggregateType: 'lead',
    event: createCloudEvent({ type: EVENT_TYPES.leadErased, source: SOURCE, subject: leadId, data: { leadId, ...data }, time }),
  };
}

export function repEvent(type: typeof EVENT_TYPES.repRegistered | typeof EVENT_TYPES.repUpdated, rep: SalesRep, time: Date): OutboxEntry {
  return {
    topic: TOPICS.repEvents,
    aggregateType: 'rep',
    event: createCloudEvent({
      type,
      source: SOURCE,
      subject: rep.id,
      time,
      data: { repId: rep.id, name: rep.name, email: rep.email, role: rep.role, teamId: rep.teamId, active: rep.active, version: rep.version },
    }),
  };
}
