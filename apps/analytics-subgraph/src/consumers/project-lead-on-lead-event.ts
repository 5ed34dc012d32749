import type { EntityManager } from 'typeorm';
import type { AnyPipelineEvent } from '@pipeline/events';

type LeadEvent = Extract<AnyPipelineEvent, { data: { leadId: string; lead: unknown } }>;

// Lead funnel facts: source, status and whether (and when) the lead became an opportunity.
export async function projectLeadOnLeadEvent(event: LeadEvent, manager: EntityManager): Promise<void> {
  const { data } = event;
  const convertedAt = data.lead.status === 'CONVERTED' ? ('convertedAt' in data ? data.convertedAt : event.time) : null;
  await manager.query(
    `INSERT INTO lead_fact (lead_id, version, source, status, owner_id, industry, region, score, created_at, converted_at, opportunity_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (lead_id) DO UPDATE SET version = EXCLUDED.version, source = EXCLUDED.source, status = EXCLUDED.status, owner_id = EXCLUDED.owner_id,
       industry = EXCLUDED.industry, region = EXCLUDED.region, score = EXCLUDED.score,
       converted_at = coalesce(lead_fact.converted_at, EXCLUDED.converted_at), opportunity_id = coalesce(EXCLUDED.opportunity_id, lead_fact.opportunity_id)
     WHERE lead_fact.version < EXCLUDED.version`,
    [data.leadId, data.version, data.lead.source, data.lead.status, data.lead.ownerId, data.lead.industry, data.lead.region, data.lead.score, data.lead.createdAt, convertedAt, data.lead.opportunityId],
  );
}
