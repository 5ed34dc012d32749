import { type Actor, assertRole, conflict, notFound, parseId } from '@pipeline/domain';
import { appendToOutbox, dataKeyDestroyedAt, destroyDataKey } from '@pipeline/persistence';

import { type Contact, erasedContact } from '../../domain/account';
import { contactErasedEvent } from '../../events/account-events';
import { lockContact, scrubContact } from '../../persistence/account-repository';
import type { OpportunityDeps } from '../deps';

export interface ContactErasure {
  contact: Contact;
  erasedAt: Date;
}

// Right to erasure for a person entered as a contact: destroys their key (the sealed contact facts on the topic become
// unreadable), scrubs the row and the stored outbox copies, and publishes sales.contact.erased.v1. A contact made from a
// lead is the lead's person, whose data the lead service owns: eraseLead erases it everywhere, this contact included.
// Admins only; erasing again changes nothing and answers the first erasure.
export async function eraseContact(deps: OpportunityDeps, actor: Actor, input: { contactId: unknown }): Promise<ContactErasure> {
  assertRole(actor, ['ADMIN'], "erase a contact's personal data");
  const contactId = parseId(input.contactId, 'contactId');
  return deps.dataSource.transaction(async (manager) => {
    const contact = await lockContact(manager, contactId);
    if (!contact) throw notFound('Contact', contactId);
    if (contact.leadId) {
      // Destroyed here only by the lead's erasure fact, with the lead's erasedAt.
      const erasedWithLead = await dataKeyDestroyedAt(manager, contact.leadId);
      if (erasedWithLead) return { contact, erasedAt: erasedWithLead };
      throw conflict(`Contact ${contactId} was made from lead ${contact.leadId}; erase the person with eraseLead(input: { leadId: "${contact.leadId}" })`, {
        leadId: contact.leadId,
      });
    }
    const already = await dataKeyDestroyedAt(manager, contactId);
    if (already) return { contact, erasedAt: already };
    const now = deps.now();
    const scrubbed = erasedContact(contact);
    await scrubContact(manager, scrubbed);
    // The envelopes are unreadable once the key is gone; the stored copies drop them too, as the lead service's do.
    await manager.query(`UPDATE outbox SET payload = payload #- '{data,personal}' WHERE aggregateid = $1 AND payload #> '{data,personal}' IS NOT NULL`, [
      contactId,
    ]);
    await destroyDataKey(manager, contactId, now);
    await appendToOutbox(manager, [contactErasedEvent(contact, now, actor.userId)]);
    return { contact: scrubbed, erasedAt: now };
  });
}
