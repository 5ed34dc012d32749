import type { TypedCloudEvent } from '@pipeline/events';
import type { EntityManager } from 'typeorm';

// The lead's person was erased: the contact made from them keeps its place on the opportunity (role, account) but no
// longer says who they are, and the lead snapshot forgets the name. Idempotent: a redelivery sets the same values.
export async function scrubLeadPersonOnLeadErased(event: TypedCloudEvent<'sales.lead.erased.v1'>, manager: EntityManager): Promise<void> {
  const { leadId } = event.data;
  await manager.query(`UPDATE contact SET name = 'Erased person', email = NULL, phone = NULL, title = NULL WHERE lead_id = $1`, [leadId]);
  await manager.query(`UPDATE lead_snapshot SET name = '' WHERE id = $1`, [leadId]);
}
