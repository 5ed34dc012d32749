import { ACTIVITY_TYPES, type Actor, badInput, isOneOf, newId, parseDateTime, parseText, requireText } from '@pipeline/domain';
import { EVENT_TYPES } from '@pipeline/events';
import { appendToOutbox } from '@pipeline/persistence';

import type { Lead, LeadActivity } from '../../domain/lead';
import { leadEvent } from '../../events/lead-events';
import { insertActivity, updateLead } from '../../persistence/lead-repository';
import type { LeadDeps } from '../deps';
import { loadWritableLead } from '../shared/lead-access';
import { rescore } from '../shared/scoring-model';

export interface LogLeadActivityCommand {
  leadId: unknown;
  type: unknown;
  subject: unknown;
  notes?: unknown;
  occurredAt?: unknown;
}

// Working a lead: the first activity moves it from NEW to WORKING, and engagement feeds its score and SLA clock.
export async function logLeadActivity(deps: LeadDeps, actor: Actor, input: LogLeadActivityCommand): Promise<{ activity: LeadActivity; lead: Lead }> {
  if (!isOneOf(ACTIVITY_TYPES, input.type)) throw badInput('type', `type must be one of ${ACTIVITY_TYPES.join(', ')}`);
  const subject = requireText(input.subject, 'subject', { maxLength: 300 });
  const notes = parseText(input.notes, 'notes', { maxLength: 10_000 });
  const now = deps.now();
  const occurredAt = input.occurredAt === null || input.occurredAt === undefined ? now : parseDateTime(input.occurredAt, 'occurredAt');
  if (occurredAt.getTime() > now.getTime() + 5 * 60_000) throw badInput('occurredAt', 'occurredAt must not be in the future');
  const type = input.type;
  return deps.dataSource.transaction(async (manager) => {
    const lead = await loadWritableLead(manager, actor, input.leadId);
    const activity: LeadActivity = { id: newId(), leadId: lead.id, type, subject, notes, occurredAt, ownerId: actor.userId };
    await insertActivity(manager, activity);
    const lastActivityAt = lead.lastActivityAt && lead.lastActivityAt > occurredAt ? lead.lastActivityAt : occurredAt;
    const next = await rescore(
      manager,
      { ...lead, status: lead.status === 'NEW' ? 'WORKING' : lead.status, lastActivityAt, version: lead.version + 1, updatedAt: now },
      now,
    );
    await updateLead(manager, next, lead.version);
    await appendToOutbox(manager, [
      leadEvent(EVENT_TYPES.leadUpdated, next, { changes: ['activity', ...(lead.status !== next.status ? ['status'] : []), 'score'] }, now),
    ]);
    return { activity, lead: next };
  });
}
