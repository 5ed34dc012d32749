import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import type { PersonalDataEnvelope } from '@pipeline/events';
import type { EntityManager, QueryRunner } from 'typeorm';

import type { OutboxEntry } from './outbox';

// Crypto-shredding: personal fields leave a service only encrypted with a key per person (data subject), kept in the
// owner's database; erasing the person destroys the key, so every copy already on a topic becomes unreadable for good.
export const PERSONAL_DATA_ALGORITHM = 'AES-256-GCM';
const KEY_BYTES = 32;
const IV_BYTES = 12;

export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new Error(`A personal data key has ${KEY_BYTES} bytes, got ${key.length}`);
}

// The key id is bound as additional authenticated data, so an envelope cannot be passed off as another subject's.
export function sealPersonalData(key: Buffer, keyId: string, fields: Record<string, unknown>): PersonalDataEnvelope {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(keyId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(fields), 'utf8'), cipher.final()]);
  return {
    alg: PERSONAL_DATA_ALGORITHM,
    keyId,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

// Throws when the key is not the one that sealed the envelope or the envelope was altered (GCM authenticates both).
export function openPersonalData<T extends Record<string, unknown>>(key: Buffer, envelope: PersonalDataEnvelope): T {
  assertKey(key);
  if (envelope.alg !== PERSONAL_DATA_ALGORITHM) throw new Error(`Unknown personal data algorithm ${String(envelope.alg)}`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64'));
  decipher.setAAD(Buffer.from(envelope.keyId, 'utf8'));
  decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
  const plaintext = Buffer.concat([decipher.update(Buffer.from(envelope.ciphertext, 'base64')), decipher.final()]);
  return JSON.parse(plaintext.toString('utf8')) as T;
}

// ---------------------------------------------------------------- the owner's key table (personal_data_key)

// For the migration of each service that publishes personal fields: one AES-256 key per data subject; erasure destroys
// it (key NULL, destroyed_at kept, so no new key is ever made for an erased subject).
export async function createPersonalDataKeyTable(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`
    CREATE TABLE personal_data_key (
      subject_id text PRIMARY KEY,
      key bytea CHECK (key IS NULL OR octet_length(key) = 32),
      created_at timestamptz NOT NULL DEFAULT now(),
      destroyed_at timestamptz,
      CHECK ((key IS NULL) = (destroyed_at IS NOT NULL))
    )`);
}

// Returns each subject's key, creating the missing ones; an erased subject (key destroyed) gets none, ever again.
export async function dataKeysFor(manager: EntityManager, subjectIds: readonly string[]): Promise<Map<string, Buffer>> {
  const ids = [...new Set(subjectIds)];
  if (ids.length === 0) return new Map();
  const fresh = ids.map((id) => ({ id, key: newDataKey().toString('base64') }));
  await manager.query(
    `INSERT INTO personal_data_key (subject_id, key)
     SELECT r.id, decode(r.key, 'base64') FROM jsonb_to_recordset($1::jsonb) AS r(id text, key text)
     ON CONFLICT (subject_id) DO NOTHING`,
    [JSON.stringify(fresh)],
  );
  const rows: { subject_id: string; key: Buffer | null }[] = await manager.query(
    `SELECT subject_id, key FROM personal_data_key WHERE subject_id = ANY($1::text[]) AND key IS NOT NULL`,
    [ids],
  );
  return new Map(rows.map((row) => [row.subject_id, row.key as Buffer]));
}

// Destroys the subject's key (the row stays as the record that it was erased, so no new key is ever made for it).
export async function destroyDataKey(manager: EntityManager, subjectId: string, at: Date): Promise<void> {
  await manager.query(
    `INSERT INTO personal_data_key (subject_id, key, destroyed_at) VALUES ($1, NULL, $2)
     ON CONFLICT (subject_id) DO UPDATE SET key = NULL, destroyed_at = coalesce(personal_data_key.destroyed_at, EXCLUDED.destroyed_at)`,
    [subjectId, at],
  );
}

// When the subject's key was destroyed, or null while it is not.
export async function dataKeyDestroyedAt(manager: EntityManager, subjectId: string): Promise<Date | null> {
  const rows: { destroyed_at: Date }[] = await manager.query(`SELECT destroyed_at FROM personal_data_key WHERE subject_id = $1 AND destroyed_at IS NOT NULL`, [
    subjectId,
  ]);
  return rows[0]?.destroyed_at ?? null;
}

// ---------------------------------------------------------------- sealing outbox entries in the writing transaction

export interface PersonalFields {
  subjectId: string;
  // Where in the event's data the envelope goes, e.g. ['lead'] puts it at data.lead.personal.
  path: readonly string[];
  fields: Record<string, unknown>;
}

// A copy of the event's data with the envelope at path/personal; only the objects along the path are copied.
export const withEnvelope = (data: Record<string, unknown>, path: readonly string[], envelope: PersonalDataEnvelope): Record<string, unknown> =>
  path.length === 0 ? { ...data, personal: envelope } : { ...data, [path[0]]: withEnvelope(data[path[0]] as Record<string, unknown>, path.slice(1), envelope) };

// Encrypts each entry's personal fields with its subject's key (created on first use) and places the envelope; a subject
// already erased gets no envelope, so nothing personal is published about it again. Entries without any pass unchanged.
export async function sealOutboxEntries(manager: EntityManager, entries: readonly OutboxEntry[]): Promise<OutboxEntry[]> {
  if (!entries.some((entry) => entry.personal)) return [...entries];
  const keys = await dataKeysFor(
    manager,
    entries.flatMap((entry) => (entry.personal ? [entry.personal.subjectId] : [])),
  );
  return entries.map(({ personal, ...entry }) => {
    if (!personal) return entry;
    const key = keys.get(personal.subjectId);
    if (!key) return entry;
    const data = withEnvelope(entry.event.data as Record<string, unknown>, personal.path, sealPersonalData(key, personal.subjectId, personal.fields));
    return { ...entry, event: { ...entry.event, data } };
  });
}

// ---------------------------------------------------------------- opening an envelope for another service (the owner's side)

export type OwnedEnvelopeOpening =
  | { outcome: 'opened'; fields: Record<string, unknown> }
  | { outcome: 'erased'; erasedAt: Date }
  | { outcome: 'unknown-subject' }
  | { outcome: 'invalid' };

// Opens an envelope with the subject's key where it is kept, never creating one; the key itself never leaves.
export async function openOwnedEnvelope(manager: EntityManager, envelope: PersonalDataEnvelope): Promise<OwnedEnvelopeOpening> {
  const rows: { key: Buffer | null; destroyed_at: Date | null }[] = await manager.query(
    `SELECT key, destroyed_at FROM personal_data_key WHERE subject_id = $1`,
    [envelope.keyId],
  );
  if (rows.length === 0) return { outcome: 'unknown-subject' };
  const { key, destroyed_at: destroyedAt } = rows[0];
  if (!key) return { outcome: 'erased', erasedAt: destroyedAt as Date };
  try {
    return { outcome: 'opened', fields: openPersonalData(key, envelope) };
  } catch {
    return { outcome: 'invalid' };
  }
}
