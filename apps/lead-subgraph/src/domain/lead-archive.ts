import { conflict } from '@pipeline/domain';

import type { Lead } from './lead';

// Archiving keeps every field and the history; only archivedAt says the lead left lists, counts and KPIs.
export function planArchiveLead(lead: Lead, reason: string | null, now: Date): Lead {
  if (lead.archivedAt) throw conflict(`Lead ${lead.id} is already archived`, { leadId: lead.id });
  return { ...lead, archivedAt: now, archivedReason: reason, version: lead.version + 1, updatedAt: now };
}

export function planRestoreLead(lead: Lead, now: Date): Lead {
  if (!lead.archivedAt) throw conflict(`Lead ${lead.id} is not archived`, { leadId: lead.id });
  return { ...lead, archivedAt: null, archivedReason: null, version: lead.version + 1, updatedAt: now };
}
