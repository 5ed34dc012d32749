import type { Lead } from '../domain/lead';
import { effectiveScore } from '../domain/lead';
import type { LeadScore } from '../domain/scoring';

export const effectiveScoreOf = (lead: Lead): LeadScore => ({
  value: effectiveScore(lead),
  computed: lead.computedScore,
  override: lead.scoreOverride,
  overrideReason: lead.scoreOverrideReason,
  method: lead.scoreMethod,
  modelVersion: lead.scoreModelVersion,
  factors: lead.scoreFactors,
});
