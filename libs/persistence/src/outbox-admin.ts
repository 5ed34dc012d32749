import type { DataSource } from 'typeorm';

export interface ParkedOutboxRow {
  seq: string;
  id: string;
  type: string;
  topic: string;
  aggregateId: string;
  refusals: number;
  lastError: string | null;
  parkedAt: Date;
  payloadBytes: number;
  // Rows of the same aggregate waiting behind it (they keep their order).
  heldBehind: number;
}

// What an operator sees of parked rows: why the broker refused them and what waits behind each.
export async function listParkedOutboxRows(dataSource: DataSource): Promise<ParkedOutboxRow[]> {
  return dataSource.query(
    `SELECT p.seq, p.id, p.type, p.topic, p.aggregateid AS "aggregateId", p.refusals, p.last_error AS "lastError", p.parked_at AS "parkedAt",
            octet_length(p.payload::text) AS "payloadBytes",
            (SELECT count(*)::int FROM outbox h WHERE h.aggregateid = p.aggregateid AND h.seq > p.seq AND h.published_at IS NULL AND h.discarded_at IS NULL) AS "heldBehind"
       FROM outbox p
      WHERE p.parked_at IS NOT NULL AND p.published_at IS NULL AND p.discarded_at IS NULL
      ORDER BY p.seq`,
  );
}

// Back to the relay (after the broker or the record was fixed): it is tried again with a fresh refusal count.
export async function retryParkedOutboxRows(dataSource: DataSource, ids: string[] | 'all'): Promise<number> {
  const [rows] = await dataSource.query(
    `UPDATE outbox SET parked_at = NULL, refusals = 0
      WHERE parked_at IS NOT NULL AND published_at IS NULL AND discarded_at IS NULL AND ($1::uuid[] IS NULL OR id = ANY($1::uuid[]))
      RETURNING seq`,
    [ids === 'all' ? null : ids],
  );
  return rows.length;
}

// Given up for good, with the operator's reason kept on the row; the rows held behind it flow again.
export async function discardParkedOutboxRow(dataSource: DataSource, id: string, reason: string): Promise<boolean> {
  const [rows] = await dataSource.query(
    `UPDATE outbox SET discarded_at = now(), discard_reason = $2
      WHERE id = $1 AND parked_at IS NOT NULL AND published_at IS NULL AND discarded_at IS NULL
      RETURNING seq`,
    [id, reason],
  );
  return rows.length === 1;
}
