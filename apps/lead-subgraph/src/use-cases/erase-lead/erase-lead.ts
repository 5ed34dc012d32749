import { type Actor, assertRole, notFound, parseId } from '@pipeline/domain';
import { appendToOutbox, dataKeyDestroyedAt, destroyDataKey } from '@pipeline/persistence';

import type { Lead } from '../../domain/lead';
import { planLeadErasure } from '../../domain/lead-erasure';
import { leadErasedEvent } from '../../events/lead-events';
import { findLead, updateLead } from '../../persistence/lead-repository';
import type { LeadDeps } from '../deps';

export interface LeadErasure {
  lead: Lead;
  erasedAt: Date;
}

// Right to erasure: destroys the person's key (every copy on the topics becomes unreadable), scrubs the lead's rows and
// publishes sales.lead.erased.v1 so every service scrubs its copies. Admins only; erasing again changes nothing.
export async function eraseLead(deps: LeadDeps, actor: Actor, input: { leadId: unknown }): Promise<LeadErasure> {
  assertRole(actor, ['ADMIN'], "erase a lead's personal data");
  const leadId = parseId(input.leadId, 'leadId');
  return deps.dataSource.transaction(async (manager) => {
    const lead = await findLead(manager, leadId, true);
    if (!lead) throw notFound('Lead', leadId);
    const already = await dataKeyDestroyedAt(manager, leadId);
    if (already) return { lead, erasedAt: already };
    const now = deps.now();
    const next = planLeadErasure(lead, now);
    await updateLead(manager, next, lead.version);
    await manager.query(`UPDATE lead_activity SET subject = '(erased)', notes = NULL WHERE lead_id = $1`, [leadId]);
    // Events written before personal data was encrypted held the name and email in plain text: redact the stored copies.
    await manager.query(
      `UPDATE outbox SET payload = jsonb_set(jsonb_set(payload #- '{data,lead,personal}', '{data,lead,name}', '""'), '{data,lead,email}', 'null')
        WHERE aggregateid = $1 AND payload #> '{data,lead}' IS NOT NULL`,
      [leadId],
    );
    await destroyDataKey(manager, leadId, now);
    await appendToOutbox(manager, [leadErasedEvent(leadId, { opportunityId: lead.opportunityId, erasedAt: now.toISOString(), erasedBy: actor.userId }, now)]);
    return { lead: next, erasedAt: now };
  });
}
