import { type Actor, conflict, toIsoDate } from '@pipeline/domain';
import { appendToOutbox } from '@pipeline/persistence';

import type { Proposal } from '../../domain/proposal';
import { dealEvent } from '../../events/deal-events';
import { updateProposal } from '../../persistence/deal-repository';
import type { DealDeps } from '../deps';
import { assertDealNotClosed, assertOpen } from '../shared/deal-access';
import { loadWorkableProposal } from '../shared/proposal-access';

// Sending freezes a draft and publishes the fact that moves the opportunity to its proposal stage (through its gates).
export async function sendProposal(deps: DealDeps, actor: Actor, input: { proposalId: unknown }): Promise<Proposal> {
  return deps.dataSource.transaction(async (manager) => {
    const { proposal, deal, opportunity } = await loadWorkableProposal(manager, actor, input.proposalId);
    assertOpen(opportunity);
    assertDealNotClosed(deal);
    if (proposal.status !== 'DRAFT') throw conflict(`Proposal ${proposal.id} is ${proposal.status}; only a draft can be sent`, { status: proposal.status });
    const now = deps.now();
    if (proposal.validUntil !== null && proposal.validUntil < toIsoDate(now)) throw conflict(`Proposal ${proposal.id} expired on ${proposal.validUntil}`);
    const sent: Proposal = { ...proposal, status: 'SENT', sentAt: now };
    await updateProposal(manager, sent);
    await appendToOutbox(manager, [
      dealEvent('sales.proposal.sent.v1', deal, actor.userId, now, {
        proposalId: sent.id,
        proposalVersion: sent.version,
        total: sent.total,
        sentAt: now.toISOString(),
      }),
    ]);
    return sent;
  });
}
