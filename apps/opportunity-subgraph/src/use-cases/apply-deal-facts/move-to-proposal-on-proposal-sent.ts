import type { TypedCloudEvent } from '@pipeline/events';
import type { EntityManager } from 'typeorm';

import { stageWithTrigger } from '../../domain/pipeline';
import { isBefore, recordFacts, tryMove } from './automation';

// A sent proposal is the PROPOSAL_SENT fact; an opportunity still before the proposal stage moves there through its gates.
export async function moveToProposalOnProposalSent(event: TypedCloudEvent<'sales.proposal.sent.v1'>, manager: EntityManager): Promise<void> {
  const target = await recordFacts(manager, event.data.opportunityId, (facts) => ({ ...facts, proposalSent: true }));
  if (!target) return;
  const stage = stageWithTrigger(target.pipeline, 'PROPOSAL_SENT');
  if (stage && isBefore(target, stage.key)) await tryMove(manager, target, stage.key, 'Proposal sent', new Date(event.data.sentAt));
}
