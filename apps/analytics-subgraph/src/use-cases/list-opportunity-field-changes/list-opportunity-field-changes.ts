import { type Actor, badInput, isOneOf, parseId, visibilityOf } from '@pipeline/domain';
import { type Connection, decodeCursor, encodeCursor, pageSize, toConnection } from '@pipeline/persistence';

import { describeFieldChange, type FieldChangeView, HISTORY_FIELDS, type HistoryField } from '../../domain/field-history';
import { opportunityConditions, SqlParameters } from '../../persistence/scope-sql';
import type { AnalyticsDeps } from '../deps';

export interface OpportunityFieldChangeView extends FieldChangeView {
  eventId: string;
  opportunityId: string;
  changedAt: Date;
  changedBy: string | null;
  version: number;
}

// Field history in the graph, oldest first, only for opportunities the caller may see (the same rule as stage events).
export async function listOpportunityFieldChanges(
  deps: AnalyticsDeps,
  actor: Actor,
  args: { opportunityId?: unknown; field?: unknown; first?: number | null; after?: string | null },
): Promise<Connection<OpportunityFieldChangeView>> {
  const first = pageSize(args.first);
  const parameters = new SqlParameters();
  const conditions = [
    `EXISTS (SELECT 1 FROM opportunity_fact f WHERE f.opportunity_id = c.opportunity_id AND ${opportunityConditions(
      { pipelineId: null, ownerIds: null, teamId: null, industry: null, source: null, from: null, to: null, visibility: visibilityOf(actor) },
      parameters,
    )})`,
  ];
  if (args.opportunityId !== null && args.opportunityId !== undefined)
    conditions.push(`c.opportunity_id = ${parameters.add(parseId(args.opportunityId, 'opportunityId'))}`);
  if (args.field !== null && args.field !== undefined) {
    const fields = Object.keys(HISTORY_FIELDS) as HistoryField[];
    if (!isOneOf(fields, args.field)) throw badInput('field', `field must be one of ${fields.join(', ')}`);
    conditions.push(`c.field = ${parameters.add(HISTORY_FIELDS[args.field])}`);
  }
  const [{ count }] = await deps.dataSource.query(`SELECT count(*)::int AS count FROM opportunity_field_change c WHERE ${conditions.join(' AND ')}`, [
    ...parameters.values,
  ]);
  const cursor = decodeCursor(args.after, ['timestamptz', 'text', 'text']);
  if (cursor)
    conditions.push(
      `(c.changed_at, c.event_id, c.field) > (${parameters.add(cursor[0])}::timestamptz, ${parameters.add(cursor[1])}, ${parameters.add(cursor[2])})`,
    );
  const rows: Array<{
    event_id: string;
    field: string;
    opportunity_id: string;
    version: number;
    previous_value: unknown;
    new_value: unknown;
    changed_at: Date;
    changed_by: string | null;
  }> = await deps.dataSource.query(
    `SELECT c.event_id, c.field, c.opportunity_id, c.version, c.previous_value, c.new_value, c.changed_at, c.changed_by FROM opportunity_field_change c
        WHERE ${conditions.join(' AND ')} ORDER BY c.changed_at, c.event_id, c.field LIMIT ${first + 1}`,
    parameters.values,
  );
  const items = rows.slice(0, first).flatMap((row) => {
    const view = describeFieldChange(row.field, row.previous_value, row.new_value);
    return view
      ? [
          {
            ...view,
            eventId: row.event_id,
            opportunityId: row.opportunity_id,
            changedAt: row.changed_at,
            changedBy: row.changed_by,
            version: row.version,
            rawField: row.field,
          },
        ]
      : [];
  });
  return toConnection({ items, hasNextPage: rows.length > first, totalCount: count }, (item) =>
    encodeCursor([item.changedAt.toISOString(), item.eventId, item.rawField]),
  );
}
