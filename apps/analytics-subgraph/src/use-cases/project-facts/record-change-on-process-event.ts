import type { TypedCloudEvent } from '@pipeline/events';
import type { EntityManager } from 'typeorm';

type ProcessEvent =
  | TypedCloudEvent<'sales.pipeline.revised.v1'>
  | TypedCloudEvent<'sales.qualification.criteria_changed.v1'>
  | TypedCloudEvent<'sales.scoring.model_activated.v1'>;

// Rare events: one insert each; the same version published twice is kept once.
export async function recordChangeOnProcessEvent(event: ProcessEvent, manager: EntityManager): Promise<void> {
  const change =
    event.type === 'sales.pipeline.revised.v1'
      ? { kind: 'PIPELINE_REVISION', subject: event.data.pipelineId, at: event.data.revisedAt, by: event.data.revisedBy }
      : event.type === 'sales.qualification.criteria_changed.v1'
        ? { kind: 'QUALIFICATION_CRITERIA', subject: '', at: event.data.changedAt, by: event.data.changedBy }
        : { kind: 'SCORING_MODEL', subject: '', at: event.data.activatedAt, by: event.data.activatedBy };
  await manager.query(
    `INSERT INTO process_change (event_id, kind, subject, version, changed_at, changed_by, details) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) ON CONFLICT DO NOTHING`,
    [event.id, change.kind, change.subject, event.data.version, change.at, change.by, JSON.stringify(event.data)],
  );
}
