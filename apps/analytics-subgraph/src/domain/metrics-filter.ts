import type { LeadSource, Visibility } from '@pipeline/domain';

// What every KPI is computed over: the filter a caller asked for, narrowed to what they may see.
export interface MetricsScope {
  pipelineId: string | null;
  ownerIds: string[] | null;
  teamId: string | null;
  industry: string | null;
  source: LeadSource | null;
  from: Date | null;
  to: Date | null;
  visibility: Visibility;
}
