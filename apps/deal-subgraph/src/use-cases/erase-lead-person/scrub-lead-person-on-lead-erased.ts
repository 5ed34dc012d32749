import type { TypedCloudEvent } from '@pipeline/events';
import { destroyDataKey } from '@pipeline/persistence';
import type { EntityManager } from 'typeorm';

// The lead's person was erased: the deal of the opportunity made from the lead keeps its figures and outcome but loses
// what was typed about the prospect (commitment contact and notes, objection notes, discount decision notes, the close
// note and the prospect's decision reason, in its rows and in the stored copies of its facts), and the lead snapshot its
// name and stated need. Idempotent: a redelivery sets the same values.
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
  await manager.query(`UPDATE discount_approval SET note = NULL WHERE deal_id = ANY($1::uuid[])`, [dealIds]);
  // Facts published before free text was checked for the person kept it in plain text; since then it is redacted there.
  await manager.query(
    `UPDATE outbox SET payload = jsonb_set(payload #- '{data,personal}', ARRAY['data', f.field], f.blank)
       FROM (VALUES ('sales.deal.discount_decided.v1', 'note', 'null'::jsonb), ('sales.proposal.decided.v1', 'reason', 'null'::jsonb),
                    ('sales.deal.closed.v1', 'closeNote', 'null'::jsonb), ('sales.deal.reopened.v1', 'reason', '""'::jsonb)) AS f(type, field, blank)
      WHERE outbox.type = f.type AND outbox.payload #>> '{data,dealId}' = ANY($1::text[])`,
    [dealIds],
  );
  // Commitments recorded before contact names were sealed kept them in plain text in the stored outbox copies.
  await manager.query(
    `UPDATE outbox SET payload = jsonb_set(payload #- '{data,personal}', '{data,contactName}', '""')
      WHERE type = 'sales.deal.commitment_recorded.v1' AND payload #>> '{data,dealId}' = ANY($1::text[])`,
    [dealIds],
  );
}
