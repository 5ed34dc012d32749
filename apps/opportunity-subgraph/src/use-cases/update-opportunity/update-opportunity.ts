import { type Actor, badInput, canWrite, parseId } from '@pipeline/domain';
import { EVENT_TYPES } from '@pipeline/events';

import type { Opportunity } from '../../domain/opportunity';
import { opportunityStateEvent } from '../../events/opportunity-events';
import { accountIdFor, findOrCreateAccounts } from '../../persistence/account-repository';
import { appendRedactedToOutbox } from '../../persistence/lead-person-text';
import { findOpportunity, updateOpportunity as saveOpportunity } from '../../persistence/opportunity-repository';
import type { OpportunityDeps } from '../deps';
import { loadWritableOpportunity } from '../shared/opportunity-access';
import {
  parseExpectedVersion,
  parseName,
  parseOptionalDate,
  parseOptionalId,
  parseOptionalMoney,
  parseOptionalText,
  parseProbability,
} from '../shared/opportunity-input';
import { resolveOwner, waitForRepSnapshot } from '../shared/owner';

export interface UpdateOpportunityCommand {
  opportunityId: unknown;
  expectedVersion?: unknown;
  name?: unknown;
  accountName?: unknown;
  industry?: unknown;
  region?: unknown;
  amount?: { amount: unknown; currency: unknown } | null;
  expectedCloseDate?: unknown;
  ownerId?: unknown;
  probability?: unknown;
  clearProbabilityOverride?: boolean | null;
}

const given = (value: unknown) => value !== undefined && value !== null;

// Field changes (not stage): each bumps the version and is published with the list of what changed.
export async function updateOpportunity(deps: OpportunityDeps, actor: Actor, input: UpdateOpportunityCommand): Promise<Opportunity> {
  const expectedVersion = parseExpectedVersion(input.expectedVersion);
  if (given(input.probability) && input.clearProbabilityOverride) throw badInput('clearProbabilityOverride', 'set probability or clear the override, not both');
  const changes: Partial<Opportunity> = {};
  if (given(input.name)) changes.name = parseName(input.name, 'name');
  if (given(input.accountName)) changes.accountName = parseName(input.accountName, 'accountName');
  if (given(input.industry)) changes.industry = parseOptionalText(input.industry, 'industry');
  if (given(input.region)) changes.region = parseOptionalText(input.region, 'region');
  if (given(input.amount)) changes.amount = parseOptionalMoney(input.amount, 'amount');
  if (given(input.expectedCloseDate)) changes.expectedCloseDate = parseOptionalDate(input.expectedCloseDate, 'expectedCloseDate');
  if (given(input.probability)) changes.probabilityOverride = parseProbability(input.probability);
  if (input.clearProbabilityOverride) changes.probabilityOverride = null;
  const requestedOwner = parseOptionalId(input.ownerId, 'ownerId');
  if (requestedOwner) {
    // Waits before the transaction (no row lock held), and only for a new owner of an opportunity the caller may change:
    // the time taken must not tell whether an invisible one exists.
    const current = await findOpportunity(deps.dataSource.manager, parseId(input.opportunityId, 'opportunityId'));
    if (current && canWrite(actor, current) && current.ownerId !== requestedOwner)
      await waitForRepSnapshot(deps.dataSource.manager, actor, requestedOwner, deps.settings.leadSnapshotWaitMs);
  }
  return deps.dataSource.transaction(async (manager) => {
    const { opportunity, pipeline } = await loadWritableOpportunity(manager, actor, input.opportunityId, expectedVersion);
    if (requestedOwner && requestedOwner !== opportunity.ownerId) Object.assign(changes, await resolveOwner(manager, actor, requestedOwner));
    // A new account name names another account (created when missing).
    if (changes.accountName !== undefined && changes.accountName !== opportunity.accountName) {
      changes.accountId = accountIdFor(
        await findOrCreateAccounts(manager, [{ name: changes.accountName, industry: opportunity.industry, region: opportunity.region }], actor.userId),
        changes.accountName,
      );
    }
    const changed = Object.keys(changes).filter(
      (key) => JSON.stringify(changes[key as keyof Opportunity]) !== JSON.stringify(opportunity[key as keyof Opportunity]),
    );
    if (changed.length === 0) return opportunity;
    const now = deps.now();
    const next: Opportunity = { ...opportunity, ...changes, version: opportunity.version + 1, updatedAt: now };
    await saveOpportunity(manager, next, opportunity.version);
    await appendRedactedToOutbox(manager, [
      opportunityStateEvent(
        EVENT_TYPES.opportunityUpdated,
        next,
        pipeline,
        changed.filter((key) => key !== 'ownerTeamId' && key !== 'accountId'),
        now,
        { before: opportunity, changedBy: actor.userId },
      ),
    ]);
    return next;
  });
}
