import type { Lead, LeadFields } from './lead';
import { normalizeForMatch } from './lead';
import { scoringInputOf } from './new-lead';
import { type ActiveModel, scoreLead } from './scoring';

// The fields a person may correct on a lead; source is required, the others may be cleared.
export type EditableLeadField = Exclude<keyof LeadFields, 'externalId'>;
export type LeadChanges = Partial<Pick<LeadFields, EditableLeadField>>;

export const EDITABLE_LEAD_FIELDS: readonly EditableLeadField[] = [
  'name',
  'company',
  'email',
  'phone',
  'industry',
  'region',
  'source',
  'sourceDetail',
  'estimatedValue',
];

export interface LeadUpdatePlan {
  next: Lead;
  changed: EditableLeadField[];
  // Whether name, company or email changed, so the duplicate rule has to be checked again.
  identityChanged: boolean;
}

// A correction of a lead's data: only what differs counts as a change; the version moves by one and the score is
// recomputed from the corrected data (the override, a person's judgement, stays). Null when nothing differs.
export function planLeadUpdate(
  lead: Lead,
  changes: LeadChanges,
  context: { model: ActiveModel | null; activityCount: number; now: Date },
): LeadUpdatePlan | null {
  const changed = EDITABLE_LEAD_FIELDS.filter((field) => field in changes && JSON.stringify(changes[field]) !== JSON.stringify(lead[field]));
  if (changed.length === 0) return null;
  const edited: Lead = { ...lead, ...Object.fromEntries(changed.map((field) => [field, changes[field]])), version: lead.version + 1, updatedAt: context.now };
  const scored = scoreLead(scoringInputOf(edited, context.activityCount), context.model, context.now);
  const next: Lead = {
    ...edited,
    computedScore: scored.score,
    scoreFactors: scored.factors,
    scoreMethod: scored.method,
    scoreModelVersion: scored.modelVersion,
  };
  const identityChanged =
    normalizeForMatch(next.name) !== normalizeForMatch(lead.name) ||
    normalizeForMatch(next.company) !== normalizeForMatch(lead.company) ||
    (next.email ?? '') !== (lead.email ?? '');
  return { next, changed, identityChanged };
}
