import { type Actor, assertCanWriteAnything, canRead, canWrite, forbidden, notFound, parseId } from '@pipeline/domain';
import { EVENT_TYPES } from '@pipeline/events';
import { appendToOutbox } from '@pipeline/persistence';

import type { Lead } from '../../domain/lead';
import { planLeadMerge } from '../../domain/lead-merge';
import { leadEvent } from '../../events/lead-events';
import { activityCount, findLeadsByIds, moveActivities, updateLead } from '../../persistence/lead-repository';
import type { LeadDeps } from '../deps';
import { checkVersion, parseOptionalVersion } from '../shared/lead-access';
import { loadActiveModel } from '../shared/scoring-model';

export interface MergeLeadsCommand {
  leadId: unknown;
  duplicateLeadId: unknown;
  expectedVersion?: unknown;
  expectedDuplicateVersion?: unknown;
}

// Merges a duplicate into a lead: the duplicate's activities move over (history kept, times kept), the lead fills its
// empty fields from it, and the duplicate stays, archived, pointing to the lead. Both must be the caller's to change.
export async function mergeLeads(deps: LeadDeps, actor: Actor, input: MergeLeadsCommand): Promise<{ lead: Lead; duplicate: Lead; movedActivityCount: number }> {
  // Parse
  assertCanWriteAnything(actor);
  const winnerId = parseId(input.leadId, 'leadId');
  const loserId = parseId(input.duplicateLeadId, 'duplicateLeadId');
  const expectedVersion = parseOptionalVersion(input.expectedVersion);
  const expectedDuplicateVersion = parseOptionalVersion(input.expectedDuplicateVersion);

  return deps.dataSource.transaction(async (manager) => {
    // Load: both locked in id order, so two merges of the same pair cannot deadlock.
    const locked = await findLeadsByIds(manager, [winnerId, loserId], true);
    const load = (id: string) => {
      const lead = locked.find((candidate) => candidate.id === id);
      if (!lead || !canRead(actor, lead)) throw notFound('Lead', id);
      if (!canWrite(actor, lead)) throw forbidden('You may read this lead but not change it');
      return lead;
    };
    const winner = load(winnerId);
    const loser = winnerId === loserId ? winner : load(loserId);
    checkVersion(winner, expectedVersion);
    checkVersion(loser, expectedDuplicateVersion);
    const activities = (await activityCount(manager, winner.id)) + (winner.id === loser.id ? 0 : await activityCount(manager, loser.id));
    const now = deps.now();

    // Plan
    const plan = planLeadMerge(winner, loser, { model: await loadActiveModel(manager), activityCount: activities, now });

    // Apply
    const moved = await moveActivities(manager, loser.id, winner.id);
    await updateLead(manager, plan.winner, winner.version);
    await updateLead(manager, plan.loser, loser.version);
    await appendToOutbox(manager, [
      leadEvent(EVENT_TYPES.leadMerged, plan.loser, { mergedIntoLeadId: winner.id, movedActivityCount: moved, mergedBy: actor.userId }, now),
      leadEvent(EVENT_TYPES.leadUpdated, plan.winner, { changes: [...plan.filled, ...(moved > 0 ? ['activities'] : [])] }, now),
    ]);
    return { lead: plan.winner, duplicate: plan.loser, movedActivityCount: moved };
  });
}
