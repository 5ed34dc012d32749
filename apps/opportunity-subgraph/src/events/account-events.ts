import type { ContactRole } from '@pipeline/domain';
import { createCloudEvent, EVENT_TYPES, TOPICS } from '@pipeline/events';
import type { OutboxEntry } from '@pipeline/persistence';

import { type Account, type Contact, personalKeyOf } from '../domain/account';
import { SOURCE } from './opportunity-events';

// Accounts and contacts as facts on their own topic, keyed by the account or the contact, so each one's facts stay in order.

export function accountCreatedEvent(account: Account, createdBy: string | null): OutboxEntry {
  return {
    topic: TOPICS.accountEvents,
    aggregateType: 'account',
    event: createCloudEvent({
      type: EVENT_TYPES.accountCreated,
      source: SOURCE,
      subject: account.id,
      time: account.createdAt,
      data: {
        accountId: account.id,
        name: account.name,
        industry: account.industry,
        region: account.region,
        createdAt: account.createdAt.toISOString(),
        createdBy,
      },
    }),
  };
}

// The person's fields leave only sealed (appendToOutbox encrypts them with the person's key); no plaintext field names them.
export function contactCreatedEvent(contact: Contact, createdBy: string | null): OutboxEntry {
  return {
    topic: TOPICS.accountEvents,
    aggregateType: 'contact',
    event: createCloudEvent({
      type: EVENT_TYPES.contactCreated,
      source: SOURCE,
      subject: contact.id,
      time: contact.createdAt,
      data: { contactId: contact.id, accountId: contact.accountId, leadId: contact.leadId, createdAt: contact.createdAt.toISOString(), createdBy },
    }),
    personal: {
      subjectId: personalKeyOf(contact),
      path: [],
      fields: { name: contact.name, email: contact.email, phone: contact.phone, title: contact.title },
    },
  };
}

export interface ContactLinkChange {
  contact: Pick<Contact, 'id' | 'accountId'>;
  opportunityId: string;
  at: Date;
  by: string | null;
}

export function contactLinkedEvent(change: ContactLinkChange, role: ContactRole, previousRole: ContactRole | null): OutboxEntry {
  return {
    topic: TOPICS.accountEvents,
    aggregateType: 'contact',
    event: createCloudEvent({
      type: EVENT_TYPES.contactLinked,
      source: SOURCE,
      subject: change.contact.id,
      time: change.at,
      data: {
        contactId: change.contact.id,
        opportunityId: change.opportunityId,
        accountId: change.contact.accountId,
        role,
        previousRole,
        linkedAt: change.at.toISOString(),
        linkedBy: change.by,
      },
    }),
  };
}

export function contactUnlinkedEvent(change: ContactLinkChange, role: ContactRole): OutboxEntry {
  return {
    topic: TOPICS.accountEvents,
    aggregateType: 'contact',
    event: createCloudEvent({
      type: EVENT_TYPES.contactUnlinked,
      source: SOURCE,
      subject: change.contact.id,
      time: change.at,
      data: {
        contactId: change.contact.id,
        opportunityId: change.opportunityId,
        accountId: change.contact.accountId,
        role,
        unlinkedAt: change.at.toISOString(),
        unlinkedBy: change.by,
      },
    }),
  };
}

export function contactErasedEvent(contact: Pick<Contact, 'id' | 'accountId' | 'leadId'>, erasedAt: Date, erasedBy: string | null): OutboxEntry {
  return {
    topic: TOPICS.accountEvents,
    aggregateType: 'contact',
    event: createCloudEvent({
      type: EVENT_TYPES.contactErased,
      source: SOURCE,
      subject: contact.id,
      time: erasedAt,
      data: { contactId: contact.id, accountId: contact.accountId, leadId: contact.leadId, erasedAt: erasedAt.toISOString(), erasedBy },
    }),
  };
}
