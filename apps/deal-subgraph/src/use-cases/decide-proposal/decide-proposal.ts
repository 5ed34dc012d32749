import { type Actor, badInput, conflict, parseText } from '@pipeline/domain';

import type { Proposal } from '../../domain/proposal';
import { dealEvent } from '../../events/deal-events';
import { updateProposal } from '../../persistence/deal-repository';
import type { DealDeps } from '../deps';
import { appendRedactedDealEvents } from '../shared/deal-person-text';
import { loadWorkableProposal } from '../shared/proposal-access';

// The prospect's answer to a sent proposal, with the reason they gave.
export async function decideProposal(deps: DealDeps, actor: Actor, input: { proposalId: unknown; accepted: unknown; reason?: unknown }): Promise<Proposal> {
  if (typeof input.accepted !== 'boolean') throw badInput('accepted', 'accepted must be true or false');
  const accepted = input.accepted;
  const reason = parseText(input.reason, 'reason', { maxLength: 1_000, required: !accepted });
  return deps.dataSource.transaction(async (manager) => {
    const { proposal, deal } = await loadWorkableProposal(manager, actor, input.proposalId);
    if (proposal.status !== 'SENT')
      throw conflict(`Proposal ${proposal.id} is ${proposal.status}; only a sent proposal can be accepted or rejected`, { status: proposal.status });
    const now = deps.now();
    const decided: Proposal = { ...proposal, status: accepted ? 'ACCEPTED' : 'REJECTED', decidedAt: now, decisionReason: reason };
    await updateProposal(manager, decided);
    await appendRedactedDealEvents(deps, manager, [
      dealEvent('sales.proposal.decided.v1', deal, actor.userId, now, { proposalId: proposal.id, accepted, reason }),
    ]);
    return decided;
  });
}
