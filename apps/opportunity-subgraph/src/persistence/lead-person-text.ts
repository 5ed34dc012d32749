import { type PersonToRecognise, redactPerson } from '@pipeline/domain';
import { appendToOutbox, type OutboxEntry } from '@pipeline/persistence';
import type { EntityManager } from 'typeorm';

import { ERASED_PERSON } from '../domain/account';

// Free text of opportunity events that people type about the prospect, and the key of its original in the envelope.
const FREE_TEXT: ReadonlyArray<{ path: readonly string[]; key: string }> = [
  { path: ['opportunity', 'name'], key: 'name' },
  { path: ['previous', 'name'], key: 'previousName' },
  { path: ['reason'], key: 'reason' },
  { path: ['subject'], key: 'subject' },
];

type Data = Record<string, unknown>;

const textAt = (data: Data, path: readonly string[]): unknown =>
  path.reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Data)[key] : undefined), data);

const withTextAt = (data: Data, path: readonly string[], text: string): Data =>
  path.length === 1 ? { ...data, [path[0]]: text } : { ...data, [path[0]]: withTextAt(data[path[0]] as Data, path.slice(1), text) };

export interface LeadPersonRow {
  lead_id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
}

// Every form of the lead's person this service knows: the contact made from the lead at conversion (name, email, phone
// if someone added it) and a lead snapshot's plain name (events from before sealing). None once the person was erased.
// `leadIds` is a placeholder of a uuid array, `erased` one of ERASED_PERSON.
export const leadPeopleSql = (leadIds: string, erased: string): string =>
  `SELECT lead_id, name, email, phone FROM contact WHERE lead_id = ANY(${leadIds}::uuid[]) AND name <> ${erased}
     UNION ALL
     SELECT id, name, NULL, NULL FROM lead_snapshot WHERE id = ANY(${leadIds}::uuid[]) AND name <> '' AND NOT erased`;

export function leadPeopleFromRows(rows: readonly LeadPersonRow[]): Map<string, PersonToRecognise[]> {
  const people = new Map<string, PersonToRecognise[]>();
  for (const row of rows) people.set(row.lead_id, [...(people.get(row.lead_id) ?? []), { name: row.name, email: row.email, phone: row.phone }]);
  return people;
}

export async function leadPeople(manager: EntityManager, leadIds: readonly string[]): Promise<Map<string, PersonToRecognise[]>> {
  if (leadIds.length === 0) return new Map();
  return leadPeopleFromRows(await manager.query(leadPeopleSql('$1', '$2'), [[...new Set(leadIds)], ERASED_PERSON]));
}

// Free text of events about an opportunity made from a lead is published with the lead's person replaced by
// "[person]"; what was typed goes only into the envelope sealed with the lead's key, which erasing the lead destroys.
// `known` holds the people of every lead the entries' snapshots name, read already in this transaction (a stage move
// reads them with its gates' facts), so they are not read again.
export async function redactLeadPersonInEntries(
  manager: EntityManager,
  entries: readonly OutboxEntry[],
  known?: ReadonlyMap<string, PersonToRecognise[]>,
): Promise<OutboxEntry[]> {
  const withText = entries.filter((entry) => FREE_TEXT.some(({ path }) => typeof textAt(entry.event.data as Data, path) === 'string'));
  if (withText.length === 0) return [...entries];
  const leadOf = new Map<string, string>();
  const unknown: string[] = [];
  for (const entry of withText) {
    const snapshot = (entry.event.data as Data).opportunity as Data | undefined;
    // A snapshot says which lead (or none, e.g. imported); an activity names only its opportunity.
    if (!snapshot) unknown.push(entry.event.subject);
    else if (typeof snapshot.leadId === 'string') leadOf.set(entry.event.subject, snapshot.leadId);
  }
  if (unknown.length > 0) {
    const rows: Array<{ id: string; lead_id: string }> = await manager.query(
      `SELECT id, lead_id FROM opportunity WHERE id = ANY($1::uuid[]) AND lead_id IS NOT NULL`,
      [[...new Set(unknown)]],
    );
    for (const row of rows) leadOf.set(row.id, row.lead_id);
  }
  const people = known && unknown.length === 0 ? known : await leadPeople(manager, [...new Set(leadOf.values())]);
  return entries.map((entry) => {
    const leadId = leadOf.get(entry.event.subject);
    const known = leadId ? people.get(leadId) : undefined;
    if (!leadId || !known || entry.personal) return entry;
    let data = entry.event.data as Data;
    const originals: Record<string, string> = {};
    for (const { path, key } of FREE_TEXT) {
      const text = textAt(data, path);
      if (typeof text !== 'string') continue;
      const redacted = redactPerson(text, known);
      if (redacted === text) continue;
      originals[key] = text;
      data = withTextAt(data, path, redacted);
    }
    if (Object.keys(originals).length === 0) return entry;
    return { ...entry, event: { ...entry.event, data }, personal: { subjectId: leadId, path: [], fields: originals } } as OutboxEntry;
  });
}

export async function appendRedactedToOutbox(manager: EntityManager, entries: OutboxEntry[]): Promise<void> {
  await appendToOutbox(manager, await redactLeadPersonInEntries(manager, entries));
}
