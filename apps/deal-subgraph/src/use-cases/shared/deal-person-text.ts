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

type Data = Record<string, unknown>;

const freeTextOf = (entry: OutboxEntry): { rule: { field: string; blank: string | null }; text: string } | null => {
  const rule = FREE_TEXT[entry.event.type];
  const text = rule ? (entry.event.data as Data)[rule.field] : null;
  return rule && typeof text === 'string' && !entry.personal ? { rule, text } : null;
};

// Free text of a deal fact of an opportunity made from a lead is published with the lead's person replaced by "[person]"
// (blank when the person cannot be told now), and what was typed only sealed with the lead's key, which erasure destroys.
// The owner is asked inside the transaction, and only for facts that carry such text (a person typed it just now): one
// statement for every such fact's opportunity, one question per lead.
export async function appendRedactedDealEvents(deps: DealDeps, manager: EntityManager, entries: OutboxEntry[]): Promise<void> {
  const subjects = [...new Set(entries.filter((entry) => freeTextOf(entry)).map((entry) => entry.event.subject))];
  const rows: Array<{ id: string; lead_id: string; name: string | null; personal: PersonalDataEnvelope | null }> =
    subjects.length === 0
      ? []
      : await manager.query(
          `SELECT o.id, o.lead_id, l.name, l.personal FROM opportunity_snapshot o LEFT JOIN lead_snapshot l ON l.id = o.lead_id
            WHERE o.id = ANY($1::uuid[]) AND o.lead_id IS NOT NULL`,
          [subjects],
        );
  const leads = new Map(
    await Promise.all(
      rows.map(
        async (row) =>
          [row.id, { leadId: row.lead_id, person: await personToRecognise(deps.personalData, { name: row.name ?? '', personal: row.personal }) }] as const,
      ),
    ),
  );
  const redacted = entries.map((entry) => {
    const free = freeTextOf(entry);
    const lead = leads.get(entry.event.subject);
    if (!free || !lead) return entry;
    const published = lead.person ? redactPerson(free.text, lead.person) : free.rule.blank;
    if (published === free.text) return entry;
    return {
      ...entry,
      event: { ...entry.event, data: { ...(entry.event.data as Data), [free.rule.field]: published } },
      personal: { subjectId: lead.leadId, path: [], fields: { [free.rule.field]: free.text } },
    } as OutboxEntry;
  });
  await appendToOutbox(manager, redacted);
}
