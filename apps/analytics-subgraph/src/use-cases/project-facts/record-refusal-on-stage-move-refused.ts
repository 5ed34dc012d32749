import type { TypedCloudEvent } from '@pipeline/events';
import type { EntityManager } from 'typeorm';

// Refusals are rare next to stage changes: one insert each; a redelivered event id is kept once.
export async function recordRefusalOnStageMoveRefused(
  event: TypedCloudEvent<'sales.opportunity.stage_move_refused.v1'>,
  manager: EntityManager,
): Promise<void> {
  const { data } = event;
  await manager.query(
    `INSERT INTO gate_refusal (event_id, opportunity_id, pipeline_id, from_stage, to_stage, unmet_criteria, refused_at, refused_by, owner_id, version)
     VALUES ($1, $2, $3, $4, $5, $6::text[], $7, $8, $9, $10) ON CONFLICT (event_id) DO NOTHING`,
    [
      event.id,
      data.opportunityId,
      data.pipelineId,
      data.fromStage,
      data.toStage,
      data.unmetCriteria,
      data.refusedAt,
      data.refusedBy,
      data.ownerId,
      data.version,
    ],
  );
}
