import type { AnyPipelineEvent } from '@pipeline/events';
import type { ChunkContext } from '@pipeline/messaging';
import type { EntityManager } from 'typeorm';

import { withKpiContributions } from '../../persistence/kpi-rollups';
import { applyLeadStates, type LeadState } from '../../persistence/projections';

type LeadEvent = Extract<AnyPipelineEvent, { data: { leadId: string; lead: unknown } }>;

const applyWithContributions = (manager: EntityManager, leads: LeadState[]) =>
  withKpiContributions(manager, { leadIds: leads.map((lead) => lead.leadId) }, () => applyLeadStates(manager, leads));

// Lead funnel facts: source, status and whether (and when) the lead became an opportunity; one upsert per chunk.
export async function projectLeadOnLeadEvent(event: LeadEvent, _manager: EntityManager, chunk: ChunkContext): Promise<void> {
  const { data } = event;
  const convertedAt = data.lead.status === 'CONVERTED' ? ('convertedAt' in data ? data.convertedAt : event.time) : null;
  chunk.collect(
    'lead-states',
    {
      leadId: data.leadId,
      version: data.version,
      source: data.lead.source,
      status: data.lead.status,
      ownerId: data.lead.ownerId,
      industry: data.lead.industry,
      region: data.lead.region,
      score: data.lead.score,
      createdAt: data.lead.createdAt,
      convertedAt,
      opportunityId: data.lead.opportunityId,
      archived: data.lead.archived ?? false,
    },
    applyWithContributions,
  );
}
