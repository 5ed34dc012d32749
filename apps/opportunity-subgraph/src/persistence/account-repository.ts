import { newId } from '@pipeline/domain';
import { appendToOutbox } from '@pipeline/persistence';
import type { EntityManager } from 'typeorm';

import { type Account, accountNameOrNone, type Contact, type ContactRole, normalizeAccountName, type OpportunityContact } from '../domain/account';
import { accountCreatedEvent, contactCreatedEvent } from '../events/account-events';
import { AccountEntity, type AccountRow, ContactEntity, type ContactRow } from './entities';

const toAccount = ({ id, name, industry, region, createdAt }: AccountRow): Account => ({ id, name, industry, region, createdAt });
const toContact = ({ createdBy: _createdBy, ...contact }: ContactRow): Contact => contact;

// The account each name names, created when missing (concurrent creators meet on the unique normalized name): two
// statements for any number of names. Blank names map to no account. Every account it creates is published
// (sales.account.created.v1) in the same transaction, so every path that names a new account (create, update, import,
// conversion) announces it.
export async function findOrCreateAccounts(
  manager: EntityManager,
  names: ReadonlyArray<{ name: string; industry?: string | null; region?: string | null }>,
  createdBy: string | null,
): Promise<Map<string, string>> {
  const wanted = new Map<string, { name: string; industry: string | null; region: string | null }>();
  for (const entry of names) {
    const name = accountNameOrNone(entry.name);
    if (name && !wanted.has(normalizeAccountName(name)))
      wanted.set(normalizeAccountName(name), { name, industry: entry.industry ?? null, region: entry.region ?? null });
  }
  if (wanted.size === 0) return new Map();
  const rows = [...wanted.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([normalized, entry]) => ({ id: newId(), normalized_name: normalized, ...entry, created_by: createdBy }));
  const created: Array<Omit<Account, 'createdAt'> & { created_at: Date }> = await manager.query(
    `INSERT INTO account (id, name, normalized_name, industry, region, created_by)
     SELECT r.id, r.name, r.normalized_name, r.industry, r.region, r.created_by
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, name text, normalized_name text, industry text, region text, created_by text)
     ON CONFLICT (normalized_name) DO NOTHING
     RETURNING id, name, industry, region, created_at`,
    [JSON.stringify(rows)],
  );
  if (created.length > 0)
    await appendToOutbox(
      manager,
      created.map(({ created_at: createdAt, ...account }) => accountCreatedEvent({ ...account, createdAt }, createdBy)),
    );
  const found: Array<{ id: string; normalized_name: string }> = await manager.query(
    'SELECT id, normalized_name FROM account WHERE normalized_name = ANY($1::text[])',
    [[...wanted.keys()]],
  );
  return new Map(found.map((row) => [row.normalized_name, row.id]));
}

export const accountIdFor = (accounts: Map<string, string>, name: string): string | null => {
  const named = accountNameOrNone(name);
  return named ? (accounts.get(normalizeAccountName(named)) ?? null) : null;
};

export async function findAccountsByIds(manager: EntityManager, ids: readonly string[]): Promise<Account[]> {
  if (ids.length === 0) return [];
  return (
    await manager
      .getRepository(AccountEntity)
      .createQueryBuilder('a')
      .where('a.id IN (:...ids)', { ids: [...ids] })
      .getMany()
  ).map(toAccount);
}

export async function searchAccounts(manager: EntityManager, search: string | null, first: number): Promise<Account[]> {
  const query = manager.getRepository(AccountEntity).createQueryBuilder('a').orderBy('a.normalized_name').limit(first);
  if (search) query.where('a.name ILIKE :pattern', { pattern: `%${search.replace(/[\\%_]/g, (match) => `\\${match}`)}%` });
  return (await query.getMany()).map(toAccount);
}

export async function insertContact(manager: EntityManager, contact: Contact, createdBy: string | null): Promise<void> {
  await manager.getRepository(ContactEntity).insert({ ...contact, createdBy });
}

export async function findContactsByIds(manager: EntityManager, ids: readonly string[]): Promise<Contact[]> {
  if (ids.length === 0) return [];
  return (
    await manager
      .getRepository(ContactEntity)
      .createQueryBuilder('c')
      .where('c.id IN (:...ids)', { ids: [...ids] })
      .getMany()
  ).map(toContact);
}

// The contact a converted lead became: created once per lead (and then published, sealed with the key for the lead),
// found again afterwards.
export async function contactForLead(manager: EntityManager, contact: Contact, createdBy: string | null): Promise<string> {
  const inserted: unknown[] = await manager.query(
    `INSERT INTO contact (id, account_id, lead_id, name, email, phone, title, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (lead_id) DO NOTHING RETURNING id`,
    [contact.id, contact.accountId, contact.leadId, contact.name, contact.email, contact.phone, contact.title, createdBy, contact.createdAt],
  );
  if (inserted.length > 0) {
    await appendToOutbox(manager, [contactCreatedEvent(contact, createdBy)]);
    return contact.id;
  }
  const [row]: Array<{ id: string }> = await manager.query('SELECT id FROM contact WHERE lead_id = $1', [contact.leadId]);
  return row.id;
}

export async function findContactByLeadId(manager: EntityManager, leadId: string): Promise<Contact | null> {
  const row = await manager.getRepository(ContactEntity).findOneBy({ leadId });
  return row ? toContact(row) : null;
}

export async function contactsOfAccounts(manager: EntityManager, accountIds: readonly string[]): Promise<Contact[]> {
  if (accountIds.length === 0) return [];
  return (
    await manager
      .getRepository(ContactEntity)
      .createQueryBuilder('c')
      .where('c.account_id IN (:...ids)', { ids: [...accountIds] })
      .orderBy('c.name')
      .getMany()
  ).map(toContact);
}

// A contact has one role on an opportunity: linking again changes it. Returns the role it had there before (null: none).
export async function linkContact(manager: EntityManager, link: OpportunityContact): Promise<ContactRole | null> {
  // Locked when present, so concurrent role changes of one link each report the role they replaced.
  const previous: Array<{ role: ContactRole }> = await manager.query(
    'SELECT role FROM opportunity_contact WHERE opportunity_id = $1 AND contact_id = $2 FOR UPDATE',
    [link.opportunityId, link.contactId],
  );
  await manager.query(
    `INSERT INTO opportunity_contact (opportunity_id, contact_id, role) VALUES ($1, $2, $3)
     ON CONFLICT (opportunity_id, contact_id) DO UPDATE SET role = EXCLUDED.role`,
    [link.opportunityId, link.contactId, link.role],
  );
  return previous[0]?.role ?? null;
}

// The role the contact had on the opportunity, or null when it was not named there.
export async function unlinkContact(manager: EntityManager, opportunityId: string, contactId: string): Promise<ContactRole | null> {
  const [rows]: [Array<{ role: ContactRole }>, number] = await manager.query(
    'DELETE FROM opportunity_contact WHERE opportunity_id = $1 AND contact_id = $2 RETURNING role',
    [opportunityId, contactId],
  );
  return rows[0]?.role ?? null;
}

// Erasure: the contact keeps its account, lead and roles, and names no one.
export async function scrubContact(manager: EntityManager, contact: Contact): Promise<void> {
  await manager
    .getRepository(ContactEntity)
    .update({ id: contact.id }, { name: contact.name, email: contact.email, phone: contact.phone, title: contact.title });
}

export async function lockContact(manager: EntityManager, id: string): Promise<Contact | null> {
  const row = await manager.getRepository(ContactEntity).createQueryBuilder('c').setLock('pessimistic_write').where('c.id = :id', { id }).getOne();
  return row ? toContact(row) : null;
}

export async function contactsOfOpportunities(
  manager: EntityManager,
  opportunityIds: readonly string[],
): Promise<Array<OpportunityContact & { contact: Contact }>> {
  if (opportunityIds.length === 0) return [];
  const rows: Array<{
    opportunity_id: string;
    role: ContactRole;
    id: string;
    account_id: string | null;
    lead_id: string | null;
    name: string;
    email: string | null;
    phone: string | null;
    title: string | null;
    created_at: Date;
  }> = await manager.query(
    `SELECT oc.opportunity_id, oc.role, c.id, c.account_id, c.lead_id, c.name, c.email, c.phone, c.title, c.created_at
         FROM opportunity_contact oc JOIN contact c ON c.id = oc.contact_id WHERE oc.opportunity_id = ANY($1::uuid[]) ORDER BY oc.added_at, c.id`,
    [[...opportunityIds]],
  );
  return rows.map((row) => ({
    opportunityId: row.opportunity_id,
    contactId: row.id,
    role: row.role,
    contact: {
      id: row.id,
      accountId: row.account_id,
      leadId: row.lead_id,
      name: row.name,
      email: row.email,
      phone: row.phone,
      title: row.title,
      createdAt: row.created_at,
    },
  }));
}
