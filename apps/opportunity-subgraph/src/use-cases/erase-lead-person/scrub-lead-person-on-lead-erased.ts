import type { TypedCloudEvent } from '@pipeline/events';
import type { EntityManager } from 'typeorm';

import { ERASED_PERSON } from '../../domain/account';

// The lead's person was erased: the contact made from them keeps its place on the opportunity (role, account) but no
// longer says who they are, and the lead snapshot forgets the name and envelope and remembers the erasure. Idempotent.
// The snapshot first: its row lock waits for a conversion under way, whose contact the next statement then sees.
export async function scrubLeadPersonOnLeadErased(event: TypedCloudEvent<'sales.lead.erased.v1'>, manager: EntityManager): Promise<void> {
  const { leadId } = event.data;
  await manager.query(`UPDATE lead_snapshot SET name = '', personal = NULL, erased = true WHERE id = $1`, [leadId]);
  await manager.query(`UPDATE contact SET name = $2, email = NULL, phone = NULL, title = NULL WHERE lead_id = $1`, [leadId, ERASED_PERSON]);
}
