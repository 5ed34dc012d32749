import { EVENT_TYPES, type TypedCloudEvent } from '@pipeline/events';
import { appendToOutbox, destroyDataKey } from '@pipeline/persistence';
import type { EntityManager } from 'typeorm';

import { contactErasedEvent } from '../../events/account-events';
import { findContactByLeadId } from '../../persistence/account-repository';

// The lead's person was erased: the contact facts that named them were sealed with this service's key for the lead,
// which goes now, and readers of the contact facts learn that the contact was erased. Runs after the scrubber, whose
// lock on the lead snapshot lets a conversion under way commit its contact first. Idempotent.
export async function eraseLeadContactOnLeadErased(event: TypedCloudEvent<'sales.lead.erased.v1'>, manager: EntityManager): Promise<void> {
  const { leadId, erasedBy } = event.data;
  const erasedAt = new Date(event.data.erasedAt);
  await destroyDataKey(manager, leadId, erasedAt);
  const contact = await findContactByLeadId(manager, leadId);
  if (!contact) return;
  await manager.query(`UPDATE outbox SET payload = payload #- '{data,personal}' WHERE aggregateid = $1 AND payload #> '{data,personal}' IS NOT NULL`, [
    contact.id,
  ]);
  const [{ published }]: Array<{ published: boolean }> = await manager.query(
    'SELECT EXISTS (SELECT 1 FROM outbox WHERE aggregateid = $1 AND type = $2) AS published',
    [contact.id, EVENT_TYPES.contactErased],
  );
  if (!published) await appendToOutbox(manager, [contactErasedEvent(contact, erasedAt, erasedBy)]);
}
