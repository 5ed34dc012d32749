import { type Actor, parseId, visibilityOf } from '@pipeline/domain';
import { type Connection, decodeCursor, encodeCursor, pageSize, toConnection } from '@pipeline/persistence';

import { opportunityConditions, SqlParameters } from '../../persistence/scope-sql';
import type { AnalyticsDeps } from '../deps';

export interface StageChangeEventView {
  eventId: string;
  opportunityId: string;
  fromStage: string | null;
  toStage: string;
  changedAt: Date;
  version: number;
  changedBy: string | null;
  reason: string | null;
}

// The raw stage stream in the graph, oldest first, only for opportunities the caller may see.
export async function listStageChangeEvents(
  deps: AnalyticsDeps,
  actor: Actor,
  args: { opportunityId?: unknown; first?: number | null; after?: string | null },
): Promise<Connection<StageChangeEventView>> {
  const first = pageSize(args.first);
  const parameters = new SqlParameters();
  const conditions = [
    `EXISTS (SELECT 1 FROM opportunity_fact f WHERE f.opportunity_id = e.opportunity_id AND ${opportunityConditions(
      { pipelineId: null, ownerIds: null, teamId: null, industry: null, source: null, from: null, to: null, visibility: visibilityOf(actor) },
      parameters,
    )})`,
  ];
  if (args.opportunityId !== null && args.opportunityId !== undefined)
    conditions.push(`e.opportunity_id = ${parameters.add(parseId(args.opportunityId, 'opportunityId'))}`);
  const countParameters = [...parameters.values];
  const [{ count }] = await deps.dataSource.query(`SELECT count(*)::int AS count FROM stage_event e WHERE ${conditions.join(' AND ')}`, countParameters);
  const cursor = decodeCursor(args.after, ['timestamptz', 'text']);
  if (cursor) conditions.push(`(e.changed_at, e.event_id) > (${parameters.add(cursor[0])}::timestamptz, ${parameters.add(cursor[1])})`);
  const rows: Array<{
    event_id: string;
    opportunity_id: string;
    from_stage: string | null;
    to_stage: string;
    changed_at: Date;
    version: number;
    changed_by: string | null;
    reason: string | null;
  }> = await deps.dataSource.query(
    `SELECT e.event_id, e.opportunity_id, e.from_stage, e.to_stage, e.changed_at, e.version, e.changed_by, e.reason FROM stage_event e
        WHERE ${conditions.join(' AND ')} ORDER BY e.changed_at, e.event_id LIMIT ${first + 1}`,
    parameters.values,
  );
  const items = rows.slice(0, first).map((row) => ({
    eventId: row.event_id,
    opportunityId: row.opportunity_id,
    fromStage: row.from_stage,
    toStage: row.to_stage,
    changedAt: row.changed_at,
    version: row.version,
    changedBy: row.changed_by,
    reason: row.reason,
  }));
  return toConnection({ items, hasNextPage: rows.length > first, totalCount: count }, (item) => encodeCursor([item.changedAt.toISOString(), item.eventId]));
}
