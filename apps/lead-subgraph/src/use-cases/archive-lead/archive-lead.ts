import { type Actor, assertCanWriteAnything, parseText } from '@pipeline/domain';
import { EVENT_TYPES } from '@pipeline/events';
import { appendToOutbox } from '@pipeline/persistence';

import type { Lead } from '../../domain/lead';
import { planArchiveLead } from '../../domain/lead-archive';
import { leadEvent } from '../../events/lead-events';
import { updateLead } from '../../persistence/lead-repository';
import type { LeadDeps } from '../deps';
import { checkVersion, loadWritableLead, parseOptionalVersion } from '../shared/lead-access';

// Takes a lead out of lists, duplicate checks, capacity counts and (through lead.archived) the KPIs; restoreLead undoes it.
export async function archiveLead(deps: LeadDeps, actor: Actor, input: { leadId: unknown; expectedVersion?: unknown; reason?: unknown }): Promise<Lead> {
  assertCanWriteAnything(actor);
  const expectedVersion = parseOptionalVersion(input.expectedVersion);
  const reason = parseText(input.reason, 'reason', { maxLength: 500 });
  return deps.dataSource.transaction(async (manager) => {
    const lead = await loadWritableLead(manager, actor, input.leadId, 'leadId', { archived: 'allow' });
    checkVersion(lead, expectedVersion);
    const now = deps.now();
    const next = planArchiveLead(lead, reason, now);
    await updateLead(manager, next, lead.version);
    await appendToOutbox(manager, [leadEvent(EVENT_TYPES.leadArchived, next, { reason, archivedBy: actor.userId, archivedAt: now.toISOString() }, now)]);
    return next;
  });
}
