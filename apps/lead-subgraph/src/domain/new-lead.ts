import type { Lead, LeadFields } from './lead';
import { type ActiveModel, scoreLead, type ScoringInput } from './scoring';

export interface NewLeadPlan {
  id: string;
  fields: LeadFields;
  owner: { id: string; teamId: string | null } | null;
  assignmentReason: string | null;
  model: ActiveModel | null;
  now: Date;
}

export const scoringInputOf = (lead: Lead, activities: number): ScoringInput => ({
  source: lead.source,
  industry: lead.industry,
  region: lead.region,
  email: lead.email,
  phone: lead.phone,
  estimatedValue: lead.estimatedValue,
  status: lead.status,
  activityCount: activities,
  lastActivityAt: lead.lastActivityAt,
});

// A lead as it is born, whether a person logs it or a CSV row brings it: NEW, owned as decided, scored by the
// model in force (or the rules), version 1.
export function planNewLead({ id, fields, owner, assignmentReason, model, now }: NewLeadPlan): Lead {
  const draft: Lead = {
    id,
    ...fields,
    status: 'NEW',
    computedScore: 0,
    scoreFactors: [],
    scoreMethod: 'RULES',
    scoreModelVersion: null,
    scoreOverride: null,
    scoreOverrideReason: null,
    ownerId: owner?.id ?? null,
    ownerTeamId: owner?.teamId ?? null,
    assignmentReason,
    assignedAt: owner ? now : null,
    qualification: null,
    opportunityId: null,
    version: 1,
    lastActivityAt: null,
    archivedAt: null,
    archivedReason: null,
    mergedIntoLeadId: null,
    mergedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  const scored = scoreLead(scoringInputOf(draft, 0), model, now);
  return { ...draft, computedScore: scored.score, scoreFactors: scored.factors, scoreMethod: scored.method, scoreModelVersion: scored.modelVersion };
}
