import { type Actor, assertRole, badInput, percentToDecimal } from '@pipeline/domain';

import type { DealSettings } from '../../domain/deal';
import { saveDealSettings } from '../../persistence/snapshot-repository';
import type { DealDeps } from '../deps';

export async function updateDealSettings(
  deps: DealDeps,
  actor: Actor,
  input: { discountApprovalThresholdPercent: unknown; requireWrittenCommitmentToWin: unknown },
): Promise<DealSettings> {
  assertRole(actor, ['ADMIN'], 'change deal settings');
  if (typeof input.requireWrittenCommitmentToWin !== 'boolean')
    throw badInput('requireWrittenCommitmentToWin', 'requireWrittenCommitmentToWin must be true or false');
  const settings: DealSettings = {
    discountApprovalThresholdPercent: percentToDecimal(input.discountApprovalThresholdPercent as number, 'discountApprovalThresholdPercent', 2).toNumber(),
    requireWrittenCommitmentToWin: input.requireWrittenCommitmentToWin,
  };
  await saveDealSettings(deps.dataSource.manager, settings, actor.userId);
  return settings;
}
