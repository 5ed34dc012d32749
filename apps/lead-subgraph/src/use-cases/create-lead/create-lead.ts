import { type Actor, assertCanWriteAnything, canRead, conflict, hasRole, isUuid, newId, parseId, type Unparsed } from '@pipeline/domain';
import { EVENT_TYPES } from '@pipeline/events';
import { appendToOutbox, type OutboxEntry } from '@pipeline/persistence';

import { type Lead, normalizeForMatch } from '../../domain/lead';
import { planNewLead } from '../../domain/new-lead';
import { leadEvent } from '../../events/lead-events';
import type { CreateLeadInput } from '../../generated/graphql';
import { findLeadByExternalIds, findOpenDuplicate, insertLeads, lockDuplicateKeys } from '../../persistence/lead-repository';
import { findRepsByIds, touchAssigned } from '../../persistence/rep-repository';
import type { LeadDeps } from '../deps';
import { authorizeOwner, decideByRules } from '../shared/assignment';
import { parseLeadFields, type RawLeadFields } from '../shared/lead-input';
import { loadActiveModel } from '../shared/scoring-model';

export type CreateLeadCommand = RawLeadFields & Unparsed<Pick<CreateLeadInput, 'ownerId' | 'allowDuplicate'>>;

export async function createLead(deps: LeadDeps, actor: Actor, input: CreateLeadCommand): Promise<Lead> {
  assertCanWriteAnything(actor);
  const fields = parseLeadFields(input);
  const requestedOwnerId = input.ownerId === null || input.ownerId === undefined ? null : parseId(input.ownerId, 'ownerId');

  return deps.dataSource.transaction(async (manager) => {
    await lockDuplicateKeys(manager, fields.email, normalizeForMatch(fields.company), normalizeForMatch(fields.name));
    if (!input.allowDuplicate) {
      const duplicate = await findOpenDuplicate(manager, fields.email, normalizeForMatch(fields.company), normalizeForMatch(fields.name));
      if (duplicate) {
        const field = fields.email !== null && duplicate.email === fields.email ? 'email' : 'company';
        const what = field === 'email' ? 'email' : 'company and name';
        // A duplicate the caller cannot see is still a duplicate, but whose and which one stays with its team.
        if (!canRead(actor, duplicate))
          throw conflict(`An open lead with the same ${what} already exists outside what you can see; pass allowDuplicate: true to create anyway`, { field });
        throw conflict(`An open lead already exists with the same ${what} (lead ${duplicate.id}); pass allowDuplicate: true to create anyway`, {
          field,
          existingLeadId: duplicate.id,
        });
      }
    }
    if (fields.externalId && (await findLeadByExternalIds(manager, [fields.externalId])).size > 0) {
      throw conflict(`A lead with externalId ${fields.externalId} already exists`, { field: 'externalId' });
    }

    let ownerId: string | null;
    let reason: string | null;
    if (requestedOwnerId) {
      const owner = await authorizeOwner(manager, actor, requestedOwnerId);
      ownerId = owner.id;
      reason = `Assigned by hand at creation (by ${actor.userId})`;
    } else if (hasRole(actor, 'REP') && !hasRole(actor, 'ADMIN') && !hasRole(actor, 'MANAGER')) {
      // A rep logging a lead keeps it: reps see only their own leads. A non-UUID subject is not a rep.
      const [self] = isUuid(actor.userId) ? await findRepsByIds(manager, [actor.userId]) : [];
      ownerId = self ? self.id : null;
      reason = self ? 'Logged by its owner' : null;
    } else {
      const decision = await decideByRules(manager, fields, actor);
      ownerId = decision.ownerId;
      reason = decision.reason;
    }

    const now = deps.now();
    const [owner] = ownerId ? await findRepsByIds(manager, [ownerId]) : [];
    const lead = planNewLead({
      id: newId(),
      fields,
      owner: owner ? { id: owner.id, teamId: owner.teamId } : null,
      assignmentReason: reason,
      model: await loadActiveModel(manager),
      now,
    });

    // A concurrent creation can take the externalId after the check above: insertLeads answers that with CONFLICT too.
    await insertLeads(manager, [lead], actor.userId);
    const events: OutboxEntry[] = [leadEvent(EVENT_TYPES.leadCreated, lead, {}, now)];
    if (ownerId) {
      await touchAssigned(manager, [ownerId], now);
      events.push(
        leadEvent(
          EVENT_TYPES.leadAssigned,
          lead,
          { ownerId, previousOwnerId: null, reason: reason ?? '', assignedBy: requestedOwnerId ? actor.userId : null },
          now,
        ),
      );
    }
    await appendToOutbox(manager, events);
    return lead;
  });
}
