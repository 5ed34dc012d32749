import { ACTIVITY_TYPES, type Actor, badInput, isOneOf, newId, parseDateTime, parseText, requireText } from '@pipeline/domain';

import type { Activity } from '../../domain/opportunity';
import { activityLoggedEvent } from '../../events/opportunity-events';
import { appendRedactedToOutbox } from '../../persistence/lead-person-text';
import { insertActivity } from '../../persistence/opportunity-repository';
import type { OpportunityDeps } from '../deps';
import { loadWritableOpportunity } from '../shared/opportunity-access';

export interface LogActivityCommand {
  opportunityId: unknown;
  type: unknown;
  subject: unknown;
  notes?: unknown;
  occurredAt?: unknown;
}

// Engagement with the prospect; the last activity date feeds sorting and the stalled view.
export async function logActivity(deps: OpportunityDeps, actor: Actor, input: LogActivityCommand): Promise<Activity> {
  if (!isOneOf(ACTIVITY_TYPES, input.type)) throw badInput('type', `type must be one of ${ACTIVITY_TYPES.join(', ')}`);
  const type = input.type;
  const subject = requireText(input.subject, 'subject', { maxLength: 300 });
  const notes = parseText(input.notes, 'notes', { maxLength: 10_000 });
  const now = deps.now();
  const occurredAt = input.occurredAt === null || input.occurredAt === undefined ? now : parseDateTime(input.occurredAt, 'occurredAt');
  if (occurredAt.getTime() > now.getTime() + 5 * 60_000) throw badInput('occurredAt', 'occurredAt must not be in the future');
  return deps.dataSource.transaction(async (manager) => {
    const { opportunity } = await loadWritableOpportunity(manager, actor, input.opportunityId);
    const activity: Activity = { id: newId(), opportunityId: opportunity.id, type, subject, notes, occurredAt, ownerId: actor.userId };
    await insertActivity(manager, activity);
    // Activities are their own records: the opportunity's version (its optimistic lock) does not move for them.
    await manager.query('UPDATE opportunity SET last_activity_at = greatest(coalesce(last_activity_at, $2), $2) WHERE id = $1', [opportunity.id, occurredAt]);
    await appendRedactedToOutbox(manager, [activityLoggedEvent(activity, now)]);
    return activity;
  });
}
