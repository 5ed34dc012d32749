import { type PersonToRecognise, redactPerson } from '@pipeline/domain';
import type { TypedCloudEvent } from '@pipeline/events';
import { destroyDataKey } from '@pipeline/persistence';
import type { EntityManager } from 'typeorm';

import { ERASED_PERSON } from '../../domain/account';
import { leadPeople } from '../../persistence/lead-person-text';

type Json = unknown;

// Every string in a stored event, with the person replaced; the envelope goes (its key is destroyed anyway).
const redactJson = (value: Json, people: readonly PersonToRecognise[]): Json => {
  if (typeof value === 'string') return redactPerson(value, people);
  if (Array.isArray(value)) return value.map((item) => redactJson(item, people));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).flatMap(([key, item]) => (key === 'personal' ? [] : [[key, redactJson(item, people)]])));
  return value;
};

// Rewrites the given text columns of the rows that name the person, row by row, in this transaction.
async function redactColumns(
  manager: EntityManager,
  table: string,
  columns: readonly string[],
  where: string,
  values: unknown[],
  people: readonly PersonToRecognise[],
): Promise<void> {
  const rows: Array<Record<string, string | null>> = await manager.query(`SELECT id, ${columns.join(', ')} FROM ${table} WHERE ${where}`, values);
  for (const row of rows) {
    const changed = columns.filter((column) => row[column] !== null && redactPerson(row[column] as string, people) !== row[column]);
    if (changed.length === 0) continue;
    await manager.query(`UPDATE ${table} SET ${changed.map((column, index) => `${column} = $${index + 2}`).join(', ')} WHERE id = $1`, [
      row.id,
      ...changed.map((column) => redactPerson(row[column] as string, people)),
    ]);
  }
}

// The lead's person was erased: the contact made from them keeps its place on the opportunity (role, account) but no
// longer says who they are, and the lead snapshot forgets the name and envelope and remembers the erasure; the free text
// of the opportunity made from the lead (its name, stage-change and archive reasons, activities' subjects and notes, the
// stored copies of its events) keeps its words with the person replaced by "[person]". Idempotent: once scrubbed, the
// person is known no more and nothing names them.
// The snapshot first: its row lock waits for a conversion under way, whose contact and opportunity are then seen.
export async function scrubLeadPersonOnLeadErased(event: TypedCloudEvent<'sales.lead.erased.v1'>, manager: EntityManager): Promise<void> {
  const { leadId } = event.data;
  await manager.query(`SELECT 1 FROM lead_snapshot WHERE id = $1 FOR UPDATE`, [leadId]);
  // Read before the contact and the snapshot forget who the person was.
  const people = (await leadPeople(manager, [leadId])).get(leadId) ?? [];
  await manager.query(`UPDATE lead_snapshot SET name = '', personal = NULL, erased = true WHERE id = $1`, [leadId]);
  await manager.query(`UPDATE contact SET name = $2, email = NULL, phone = NULL, title = NULL WHERE lead_id = $1`, [leadId, ERASED_PERSON]);
  // Its opportunity's free text on the topic was sealed with this key: destroyed, the originals are unreadable.
  await destroyDataKey(manager, leadId, new Date(event.data.erasedAt));
  if (people.length === 0) return;
  const opportunities = `SELECT id FROM opportunity WHERE lead_id = $1`;
  const opportunityKeys = `SELECT id::text FROM opportunity WHERE lead_id = $1`;
  await redactColumns(manager, 'opportunity', ['name', 'archived_reason'], 'lead_id = $1', [leadId], people);
  await redactColumns(manager, 'activity', ['subject', 'notes'], `opportunity_id IN (${opportunities})`, [leadId], people);
  await redactColumns(manager, 'stage_transition', ['reason'], `opportunity_id IN (${opportunities})`, [leadId], people);
  const stored: Array<{ seq: string; payload: Json }> = await manager.query(`SELECT seq, payload FROM outbox WHERE aggregateid IN (${opportunityKeys})`, [
    leadId,
  ]);
  for (const row of stored) {
    const redacted = redactJson(row.payload, people);
    if (JSON.stringify(redacted) !== JSON.stringify(row.payload))
      await manager.query(`UPDATE outbox SET payload = $2::jsonb WHERE seq = $1`, [row.seq, JSON.stringify(redacted)]);
  }
}
