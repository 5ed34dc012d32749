import type { Lead } from './lead';

// What an erased lead's person is called from then on (the column is NOT NULL and the contract's Lead.name is non-null).
export const ERASED_NAME = 'Erased person';

// Erasure keeps the business facts (company, source, status, score, amounts, history) and drops who the person is:
// name, email, phone and the free text typed about them (source detail, override and archive reasons, stated need).
export function planLeadErasure(lead: Lead, now: Date): Lead {
  return {
    ...lead,
    name: ERASED_NAME,
    email: null,
    phone: null,
    sourceDetail: null,
    scoreOverrideReason: null,
    archivedReason: null,
    qualification: lead.qualification ? { ...lead.qualification, need: null } : null,
    version: lead.version + 1,
    updatedAt: now,
  };
}
