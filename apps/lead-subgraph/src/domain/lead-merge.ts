import { badInput, conflict } from '@pipeline/domain';

import type { Lead } from './lead';
import { scoringInputOf } from './new-lead';
import { type ActiveModel, scoreLead } from './scoring';

// Fields the winner takes from the duplicate when it has none of its own.
const FILLABLE = ['email', 'phone', 'industry', 'region', 'sourceDetail', 'estimatedValue'] as const;

export interface LeadMergePlan {
  winner: Lead;
  loser: Lead;
  // Winner fields filled from the duplicate.
  filled: Array<(typeof FILLABLE)[number]>;
}

// Merging keeps both records: the winner absorbs the duplicate's activities (moved by the caller) and fills its empty
// fields from it; the duplicate is archived for good and points to the winner. A converted lead is never the duplicate
// (its opportunity points to it), and a lead already merged or archived takes part in no merge.
export function planLeadMerge(winner: Lead, loser: Lead, context: { model: ActiveModel | null; activityCount: number; now: Date }): LeadMergePlan {
  if (winner.id === loser.id) throw badInput('duplicateLeadId', 'a lead cannot be merged into itself');
  for (const [lead, field] of [
    [winner, 'leadId'],
    [loser, 'duplicateLeadId'],
  ] as const) {
    if (lead.mergedIntoLeadId) throw conflict(`Lead ${lead.id} was already merged into lead ${lead.mergedIntoLeadId}`, { field, leadId: lead.id });
    if (lead.archivedAt) throw conflict(`Lead ${lead.id} is archived; restore it first`, { field, leadId: lead.id });
  }
  if (loser.status === 'CONVERTED')
    throw conflict(`Lead ${loser.id} is converted; merge the other lead into it instead`, { field: 'duplicateLeadId', leadId: loser.id });
  const { now } = context;
  const filled = FILLABLE.filter((field) => winner[field] === null && loser[field] !== null);
  const lastActivityAt =
    [winner.lastActivityAt, loser.lastActivityAt].filter((date): date is Date => date !== null).sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
  const merged: Lead = {
    ...winner,
    ...Object.fromEntries(filled.map((field) => [field, loser[field]])),
    lastActivityAt,
    version: winner.version + 1,
    updatedAt: now,
  };
  const scored = scoreLead(scoringInputOf(merged, context.activityCount), context.model, now);
  return {
    winner: { ...merged, computedScore: scored.score, scoreFactors: scored.factors, scoreMethod: scored.method, scoreModelVersion: scored.modelVersion },
    loser: {
      ...loser,
      mergedIntoLeadId: winner.id,
      mergedAt: now,
      archivedAt: now,
      archivedReason: `Merged into lead ${winner.id}`,
      version: loser.version + 1,
      updatedAt: now,
    },
    filled,
  };
}
