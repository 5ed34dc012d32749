import { type Actor, assertCanWriteAnything } from '@pipeline/domain';
import { EVENT_TYPES } from '@pipeline/events';
import { appendToOutbox } from '@pipeline/persistence';

import type { Lead } from '../../domain/lead';
import { planRestoreLead } from '../../domain/lead-archive';
import { leadEvent } from '../../events/lead-events';
import { updateLead } from '../../persistence/lead-repository';
import type { LeadDeps } from '../deps';
import { checkVersion, loadWritableLead, parseOptionalVersion } from '../shared/lead-access';

// Brings an archived lead back into lists and KPIs exactly as it was.
export async function restoreLead(deps: LeadDeps, actor: Actor, input: { leadId: unknown; expectedVersion?: unknown }): Promise<Lead> {
  assertCanWriteAnything(actor);
  const expectedVersion = parseOptionalVersion(input.expectedVersion);
  return deps.dataSource.transaction(async (manager) => {
    const lead = await loadWritableLead(manager, actor, input.leadId, 'leadId', { archived: 'allow' });
    checkVersion(lead, expectedVersion);
    const now = deps.now();
    const next = planRestoreLead(lead, now);
    await updateLead(manager, next, lead.version);
    await appendToOutbox(manager, [leadEvent(EVENT_TYPES.leadRestored, next, { restoredBy: actor.userId }, now)]);
    return next;
  });
}
