import type { PersonalDataEnvelope } from '@pipeline/events';
import { appendToOutbox, type OutboxEntry } from '@pipeline/persistence';
import type { EntityManager } from 'typeorm';

// The lead an opportunity was made from, as this service knows it: its plain name (events from before sealing) and
// its sealed person. Null when the opportunity came from no lead (or this service does not know it yet).
export interface OpportunityLead {
  leadId: string;
  name: string;
  personal: PersonalDataEnvelope | null;
}

export async function findOpportunityLead(manager: EntityManager, opportunityId: string): Promise<OpportunityLead | null> {
  const rows: Array<{ lead_id: string; name: string | null; personal: PersonalDataEnvelope | null }> = await manager.query(
    `SELECT o.lead_id, l.name, l.personal FROM opportunity_snapshot o LEFT JOIN lead_snapshot l ON l.id = o.lead_id WHERE o.id = $1 AND o.lead_id IS NOT NULL`,
    [opportunityId],
  );
  return rows[0] ? { leadId: rows[0].lead_id, name: rows[0].name ?? '', personal: rows[0].personal } : null;
}

export interface TaskPersonText {
  leadId: string;
  // The task's text with the lead's person replaced by "[person]" (title "" when they could not be recognised).
  redacted: { title: string; notes: string | null };
}

export async function saveTaskPersonText(manager: EntityManager, taskId: string, text: TaskPersonText): Promise<void> {
  await manager.query(`UPDATE task SET person_lead_id = $2, redacted = $3::jsonb WHERE id = $1`, [taskId, text.leadId, JSON.stringify(text.redacted)]);
}

// Facts about a task whose text may name the person of its opportunity's lead carry the redacted title (and no cancel
// reason); what was typed goes only into the envelope sealed with that lead's key, which erasing the lead destroys.
export async function redactTaskEntries(manager: EntityManager, entries: readonly OutboxEntry[]): Promise<OutboxEntry[]> {
  const taskIds = entries.filter((entry) => !entry.personal && entry.aggregateType === 'task').map((entry) => entry.event.subject);
  if (taskIds.length === 0) return [...entries];
  const rows: Array<{ id: string; person_lead_id: string; redacted: TaskPersonText['redacted'] }> = await manager.query(
    `SELECT id, person_lead_id, redacted FROM task WHERE id = ANY($1::uuid[]) AND person_lead_id IS NOT NULL AND redacted IS NOT NULL`,
    [taskIds],
  );
  const byTask = new Map(rows.map((row) => [row.id, row]));
  return entries.map((entry) => {
    const row = entry.personal ? undefined : byTask.get(entry.event.subject);
    if (!row) return entry;
    const data = entry.event.data as { title: string; reason?: string | null };
    const typed = 'reason' in data ? { title: data.title, reason: data.reason } : { title: data.title };
    const redacted = { ...data, title: row.redacted.title, ...('reason' in data ? { reason: null } : {}) };
    return { ...entry, event: { ...entry.event, data: redacted }, personal: { subjectId: row.person_lead_id, path: [], fields: typed } } as OutboxEntry;
  });
}

export async function appendRedactedTaskEvents(manager: EntityManager, entries: OutboxEntry[]): Promise<void> {
  await appendToOutbox(manager, await redactTaskEntries(manager, entries));
}
