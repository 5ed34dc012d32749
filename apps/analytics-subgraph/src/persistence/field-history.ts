import type { EntityManager } from 'typeorm';

export interface FieldChangeRow {
  eventId: string;
  field: string;
  opportunityId: string;
  version: number;
  previousValue: unknown;
  newValue: unknown;
  changedAt: string;
  changedBy: string | null;
}

// One statement per chunk; a redelivered event's rows are already there and stay as they are.
export async function insertFieldChanges(manager: EntityManager, rows: FieldChangeRow[]): Promise<void> {
  if (rows.length === 0) return;
  await manager.query(
    `INSERT INTO opportunity_field_change (event_id, field, opportunity_id, version, previous_value, new_value, changed_at, changed_by)
     SELECT r.event_id, r.field, r.opportunity_id, r.version, r.previous_value, r.new_value, r.changed_at, r.changed_by
       FROM jsonb_to_recordset($1::jsonb) AS r(event_id text, field text, opportunity_id uuid, version integer, previous_value jsonb, new_value jsonb, changed_at timestamptz, changed_by text)
     ON CONFLICT (event_id, field) DO NOTHING`,
    [
      JSON.stringify(
        rows.map((row) => ({
          event_id: row.eventId,
          field: row.field,
          opportunity_id: row.opportunityId,
          version: row.version,
          previous_value: row.previousValue ?? null,
          new_value: row.newValue ?? null,
          changed_at: row.changedAt,
          changed_by: row.changedBy,
        })),
      ),
    ],
  );
}
