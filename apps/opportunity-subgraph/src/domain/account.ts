import { badInput, CONTACT_ROLES, type ContactRole, isOneOf, newId } from '@pipeline/domain';

export type { ContactRole };

export interface Account {
  id: string;
  name: string;
  industry: string | null;
  region: string | null;
  createdAt: Date;
}

export interface Contact {
  id: string;
  accountId: string | null;
  // The lead this person came from, when converted (name and email copied at conversion; the phone stays with the lead).
  leadId: string | null;
  name: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  createdAt: Date;
}

export interface OpportunityContact {
  opportunityId: string;
  contactId: string;
  role: ContactRole;
}

// A contact as named on an opportunity.
export type LinkedContact = OpportunityContact & { contact: Contact };

// Case and spacing do not make another company: "ACME  Corp" is "Acme Corp".
export const normalizeAccountName = (name: string): string => name.trim().replace(/\s+/g, ' ').toLowerCase();

// An opportunity's account name names its account; a blank one (an export that named none) names no account.
export const accountNameOrNone = (name: string): string | null => (name.trim() === '' ? null : name.trim());

export function parseContactRole(value: unknown, field = 'role'): ContactRole {
  if (!isOneOf(CONTACT_ROLES, value)) throw badInput(field, `${field} must be one of ${CONTACT_ROLES.join(', ')}`);
  return value;
}

// What a contact made from an erased lead is called: it keeps its role and account and names no one.
export const ERASED_PERSON = 'Erased person';

// What erasure leaves of a contact: its place (account, lead, role on opportunities), no one's name or details.
export const erasedContact = (contact: Contact): Contact => ({ ...contact, name: ERASED_PERSON, email: null, phone: null, title: null });

// Whose key seals the person's fields: the lead's when made from a lead (one person, one key, destroyed by the lead's
// erasure), else the contact's own.
export const personalKeyOf = (contact: Pick<Contact, 'id' | 'leadId'>): string => contact.leadId ?? contact.id;

export function planNewContact(fields: Omit<Contact, 'id' | 'createdAt'>, now: Date): Contact {
  return { id: newId(), ...fields, createdAt: now };
}
