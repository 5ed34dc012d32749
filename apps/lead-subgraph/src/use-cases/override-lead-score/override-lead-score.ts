import { type Actor, assertRole, parseInteger, parseText } from '@pipeline/domain';
import { EVENT_TYPES } from '@pipeline/events';
import { appendToOutbox } from '@pipeline/persistence';

import type { Lead } from '../../domain/lead';
import { leadEvent } from '../../events/lead-events';
import { updateLead } from '../../persistence/lead-repository';
import type { LeadDeps } from '../deps';
import { loadWritableLead } from '../shared/lead-access';

// A person's judgement kept apart from the computed score: recomputation never overwrites it, clearing it restores the computed one.
export async function overrideLeadScore(deps: LeadDeps, actor: Actor, input: { leadId: unknown; score?: unknown; reason?: unknown }): Promise<Lead> {
  assertRole(actor, ['REP', 'MANAGER', 'ADMIN'], 'override lead scores');
  const score = input.score === null || input.score === undefined ? null : parseInteger(input.score, 'score', 0, 100);
  const reason = parseText(input.reason, 'reason', { maxLength: 500, required: score !== null });
  return deps.dataSource.transaction(async (manager) => {
    const lead = await loadWritableLead(manager, actor, input.leadId);
    const now = deps.now();
    const next: Lead = { ...lead, scoreOverride: score, scoreOverrideReason: score === null ? null : reason, version: lead.version + 1, updatedAt: now };
    await updateLead(manager, next, lead.version);
    await appendToOutbox(manager, [leadEvent(EVENT_TYPES.leadUpdated, next, { changes: ['scoreOverride'] }, now)]);
    return next;
  });
}
