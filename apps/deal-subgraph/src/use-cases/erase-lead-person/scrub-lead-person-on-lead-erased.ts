import type { TypedCloudEvent } from '@pipeline/events';
import { destroyDataKey } from '@pipeline/persistence';
import type { EntityManager } from 'typeorm';

// The lead's person was erased: the deal of the opportunity made from the lead keeps its figures and outcome but loses
// what was typed about the prospect (commitment contact and notes, objection notes, the close note and the prospect's
// decision reason), and the lead snapshot its name and stated need. Idempotent: a redelivery sets the same values.
export async function scrubLeadPersonOnLeadErased(event: TypedCloudEvent<'sales.lead.erased.v1'>, manager: EntityManager): Promise<void> {
  const { leadId, opportunityId } = event.data;
  await manager.query(`UPDATE lead_snapshot SET name = '', need = NULL, personal = NULL WHERE id = $1`, [leadId]);
  // Its commitments' contact names on the topic were sealed with this key: destroyed, they are unreadable.
  await destroyDataKey(manager, leadId, new Date(event.data.erasedAt));
  const deals: { id: string }[] = await manager.query(
    `SELECT id FROM deal WHERE opportunity_id = $2 OR opportunity_id IN (SELECT id FROM opportunity_snapshot WHERE lead_id = $1)`,
    [leadId, opportunityId],
  );
  const dealIds = deals.map((deal) => deal.id);
  if (dealIds.length === 0) return;
  await manager.query(`UPDATE commitment SET contact_name = 'Erased person', notes = NULL WHERE deal_id = ANY($1::uuid[])`, [dealIds]);
  await manager.query(`UPDATE deal_objection SET note = NULL WHERE deal_id = ANY($1::uuid[])`, [dealIds]);
  await manager.query(`UPDATE proposal SET decision_reason = NULL WHERE deal_id = ANY($1::uuid[])`, [dealIds]);
  await manager.query(`UPDATE deal SET close_note = NULL WHERE id = ANY($1::uuid[])`, [dealIds]);
  // Commitments recorded before contact names were sealed kept them in plain text in the stored outbox copies.
  await manager.query(
    `UPDATE outbox SET payload = jsonb_set(payload #- '{data,personal}', '{data,contactName}', '""')
      WHERE type = 'sales.deal.commitment_recorded.v1' AND payload #>> '{data,dealId}' = ANY($1::text[])`,
    [dealIds],
  );
}
