import { conflict } from '@pipeline/domain';

import type { Opportunity } from './opportunity';

// Archiving keeps every field, the stage history and activities; only archivedAt says it left lists, board and KPIs.
export function planArchiveOpportunity(opportunity: Opportunity, reason: string | null, now: Date): Opportunity {
  if (opportunity.archivedAt) throw conflict(`Opportunity ${opportunity.id} is already archived`, { opportunityId: opportunity.id });
  return { ...opportunity, archivedAt: now, archivedReason: reason, version: opportunity.version + 1, updatedAt: now };
}

export function planRestoreOpportunity(opportunity: Opportunity, now: Date): Opportunity {
  if (!opportunity.archivedAt) throw conflict(`Opportunity ${opportunity.id} is not archived`, { opportunityId: opportunity.id });
  return { ...opportunity, archivedAt: null, archivedReason: null, version: opportunity.version + 1, updatedAt: now };
}
