import { redactPerson } from '@pipeline/domain';
import type { PersonalDataEnvelope } from '@pipeline/events';
import { appendToOutbox, type OutboxEntry } from '@pipeline/persistence';
import { personToRecognise } from '@pipeline/server-kit';
import type { EntityManager } from 'typeorm';

import type { DealDeps } from '../deps';

// Free text of deal facts that people type about the prospect, and what stands in for it when the person cannot be told.
const FREE_TEXT: Readonly<Record<string, { field: string; blank: string | null }>> = {
  'sales.deal.discount_decided.v1': { field: 'note', blank: null },
  'sales.proposal.decided.v1': { field: 'reason', blank: null },
  'sales.deal.closed.v1': { field: 'closeNote', blank: null },
  'sales.deal.reopened.v1': { field: 'reason', blank: '' },
};

// Free text of a deal fact of an opportunity made from a lead is published with the lead's person replaced by "[person]"
// (blank when the person cannot be told now), and what was typed only sealed with the lead's key, which erasure destroys.
// The owner is asked inside the transaction, and only for facts that carry such text (a person typed it just now).
export async function appendRedactedDealEvents(deps: DealDeps, manager: EntityManager, entries: OutboxEntry[]): Promise<void> {
  const redacted: OutboxEntry[] = [];
  for (const entry of entries) {
    const rule = FREE_TEXT[entry.event.type];
    const data = entry.event.data as Record<string, unknown>;
    const text = rule ? data[rule.field] : null;
    if (!rule || typeof text !== 'string' || entry.personal) {
      redacted.push(entry);
      continue;
    }
    const [lead]: Array<{ lead_id: string; name: string | null; personal: PersonalDataEnvelope | null }> = await manager.query(
      `SELECT o.lead_id, l.name, l.personal FROM opportunity_snapshot o LEFT JOIN lead_snapshot l ON l.id = o.lead_id WHERE o.id = $1 AND o.lead_id IS NOT NULL`,
      [entry.event.subject],
    );
    if (!lead) {
      redacted.push(entry);
      continue;
    }
    const person = await personToRecognise(deps.personalData, { name: lead.name ?? '', personal: lead.personal });
    const published = person ? redactPerson(text, person) : rule.blank;
    redacted.push(
      published === text
        ? entry
        : ({
            ...entry,
            event: { ...entry.event, data: { ...data, [rule.field]: published } },
            personal: { subjectId: lead.lead_id, path: [], fields: { [rule.field]: text } },
          } as OutboxEntry),
    );
  }
  await appendToOutbox(manager, redacted);
}
