import type { TypedCloudEvent } from '@pipeline/events';
import { destroyDataKey } from '@pipeline/persistence';
import type { EntityManager } from 'typeorm';

export const ERASED_NOTIFICATION_TITLE = 'About a lead whose person was erased';

// The lead's person was erased: tasks planned on the lead keep their times and states but not what was typed about the
// person; tasks on the opportunity made from the lead keep their text with the person replaced (as it was published),
// or "(erased)" where the person could not be recognised; notifications about the lead or those tasks lose their text,
// and so do their webhook payloads (a pending delivery then sends the scrubbed text). Idempotent: a redelivery sets the
// same values.
export async function scrubLeadPersonOnLeadErased(event: TypedCloudEvent<'sales.lead.erased.v1'>, manager: EntityManager): Promise<void> {
  const { leadId } = event.data;
  await manager.query(`UPDATE lead_snapshot SET name = '', personal = NULL WHERE id = $1`, [leadId]);
  // Its tasks' titles on the topic were sealed with this key: destroyed, they are unreadable.
  await destroyDataKey(manager, leadId, new Date(event.data.erasedAt));
  // Notifications first: which tasks on the opportunity named the person is told by their text before it is replaced.
  const aboutTheLead = `SELECT id FROM notification WHERE lead_id = $1 OR task_id IN (
      SELECT id FROM task WHERE lead_id = $1 OR (person_lead_id = $1 AND redacted IS NOT NULL AND redacted->>'title' IS DISTINCT FROM title))`;
  await manager.query(
    `UPDATE webhook_delivery SET payload = jsonb_set(jsonb_set(payload, '{data,title}', to_jsonb($2::text)), '{data,body}', '""'), last_error = NULL
      WHERE notification_id IN (${aboutTheLead})`,
    [leadId, ERASED_NOTIFICATION_TITLE],
  );
  await manager.query(`UPDATE notification SET title = $2, body = '' WHERE id IN (${aboutTheLead})`, [leadId, ERASED_NOTIFICATION_TITLE]);
  await manager.query(`UPDATE task SET title = '(erased)', notes = NULL, cancel_reason = NULL WHERE lead_id = $1`, [leadId]);
  await manager.query(
    `UPDATE task SET title = coalesce(nullif(redacted->>'title', ''), '(erased)'), notes = redacted->>'notes', cancel_reason = NULL, redacted = NULL
      WHERE person_lead_id = $1 AND redacted IS NOT NULL`,
    [leadId],
  );
  // Task facts written before titles were sealed kept them in plain text in the stored outbox copies.
  await manager.query(
    `UPDATE outbox SET payload = jsonb_set(jsonb_set(payload #- '{data,personal}', '{data,title}', '""'), '{data,reason}', 'null', false)
      WHERE type LIKE 'sales.task.%' AND payload #>> '{data,leadId}' = $1`,
    [leadId],
  );
}
