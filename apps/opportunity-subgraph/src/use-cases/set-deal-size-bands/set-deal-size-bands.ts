import { type Actor, assertRole } from '@pipeline/domain';

import { type DealSizeBand, parseSizeBands } from '../../domain/size-bands';
import { saveSizeBands } from '../../persistence/snapshot-repository';
import type { OpportunityDeps } from '../deps';

export async function setDealSizeBands(
  deps: OpportunityDeps,
  actor: Actor,
  input: { bands: Array<{ name: unknown; minAmount?: unknown; maxAmount?: unknown }> },
): Promise<DealSizeBand[]> {
  assertRole(actor, ['ADMIN'], 'configure deal-size bands');
  const bands = parseSizeBands(input.bands);
  await saveSizeBands(deps.dataSource.manager, bands, actor.userId);
  return bands;
}
