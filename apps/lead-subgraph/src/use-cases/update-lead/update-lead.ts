import { type Actor, assertCanWriteAnything, badInput, canRead, conflict, parseInteger } from '@pipeline/domain';
import { EVENT_TYPES } from '@pipeline/events';
import { appendToOutbox } from '@pipeline/persistence';

import { type Lead, normalizeForMatch } from '../../domain/lead';
import { planLeadUpdate } from '../../domain/lead-update';
import { leadEvent } from '../../events/lead-events';
import { activityCount, findOpenDuplicate, lockDuplicateKeys, updateLead as saveLead } from '../../persistence/lead-repository';
import type { LeadDeps } from '../deps';
import { loadWritableLead } from '../shared/lead-access';
import { parseLeadChanges, type RawLeadFields } from '../shared/lead-input';
import { loadActiveModel } from '../shared/scoring-model';

export interface UpdateLeadCommand extends Omit<RawLeadFields, 'externalId'> {
  leadId: unknown;
  expectedVersion: unknown;
  clear?: unknown;
  allowDuplicate?: boolean | null;
}

// The API names clearable fields as an enum; the domain by their field names.
const CLEARABLE: Record<string, string> = {
  EMAIL: 'email',
  PHONE: 'phone',
  INDUSTRY: 'industry',
  REGION: 'region',
  SOURCE_DETAIL: 'sourceDetail',
  ESTIMATED_VALUE: 'estimatedValue',
};

// Corrects a lead's data: same validation and duplicate rule as createLead, a version check against lost updates,
// published as lead.updated with the names of the fields that changed.
export async function updateLead(deps: LeadDeps, actor: Actor, input: UpdateLeadCommand): Promise<Lead> {
  // Parse
  assertCanWriteAnything(actor);
  const expectedVersion = parseInteger(input.expectedVersion, 'expectedVersion', 1, Number.MAX_SAFE_INTEGER);
  const clear = Array.isArray(input.clear) ? input.clear.map((field) => CLEARABLE[String(field)] ?? field) : input.clear;
  const changes = parseLeadChanges(input, clear);
  if (Object.keys(changes).length === 0) throw badInput('leadId', 'name at least one field to change or clear');

  return deps.dataSource.transaction(async (manager) => {
    // Load
    const lead = await loadWritableLead(manager, actor, input.leadId);
    if (lead.version !== expectedVersion)
      throw conflict(`Lead ${lead.id} is at version ${lead.version}, not ${expectedVersion}; reload and retry`, { leadId: lead.id, field: 'expectedVersion' });
    const now = deps.now();

    // Plan
    const plan = planLeadUpdate(lead, changes, { model: await loadActiveModel(manager), activityCount: await activityCount(manager, lead.id), now });
    if (!plan) return lead;
    const { next } = plan;
    if (plan.identityChanged) {
      await lockDuplicateKeys(manager, next.email, normalizeForMatch(next.company), normalizeForMatch(next.name));
      const duplicate = input.allowDuplicate
        ? null
        : await findOpenDuplicate(manager, next.email, normalizeForMatch(next.company), normalizeForMatch(next.name), lead.id);
      if (duplicate) {
        const field = next.email !== null && duplicate.email === next.email ? 'email' : 'company';
        const what = field === 'email' ? 'email' : 'company and name';
        if (!canRead(actor, duplicate))
          throw conflict(`An open lead with the same ${what} already exists outside what you can see; pass allowDuplicate: true to change anyway`, { field });
        throw conflict(`An open lead already exists with the same ${what} (lead ${duplicate.id}); pass allowDuplicate: true to change anyway`, {
          field,
          existingLeadId: duplicate.id,
        });
      }
    }

    // Apply
    await saveLead(manager, next, lead.version);
    await appendToOutbox(manager, [leadEvent(EVENT_TYPES.leadUpdated, next, { changes: plan.changed }, now)]);
    return next;
  });
}
