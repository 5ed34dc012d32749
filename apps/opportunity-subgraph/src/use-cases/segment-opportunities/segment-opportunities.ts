import { type Actor, badInput, isOneOf, type Money, visibilityOf } from '@pipeline/domain';

import { type SegmentDimension, segmentRows } from '../../persistence/opportunity-repository';
import { loadSizeBands } from '../../persistence/snapshot-repository';
import type { OpportunityDeps } from '../deps';
import { parseOpportunityFilter, type RawOpportunityFilter } from '../list-opportunities/list-opportunities';

const DIMENSIONS: SegmentDimension[] = ['SIZE_BAND', 'STAGE', 'INDUSTRY', 'OWNER', 'LEAD_SOURCE', 'ACCOUNT'];

// Groups the visible opportunities by deal size, stage, industry, owner or source to prioritise effort.
export async function segmentOpportunities(
  deps: OpportunityDeps,
  actor: Actor,
  args: { by: unknown; filter?: RawOpportunityFilter | null },
): Promise<Array<{ key: string | null; count: number; amount: Money[]; weightedAmount: Money[] }>> {
  if (!isOneOf(DIMENSIONS, args.by)) throw badInput('by', `by must be one of ${DIMENSIONS.join(', ')}`);
  const manager = deps.dataSource.manager;
  return segmentRows(manager, args.by, parseOpportunityFilter(args.filter), visibilityOf(actor), await loadSizeBands(manager), deps.now());
}
