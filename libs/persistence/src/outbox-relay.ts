import { Client } from 'pg';
import type { DataSource } from 'typeorm';

import type { OutboxRecord } from './outbox';

export type PublishBatch = (records: OutboxRecord[]) => Promise<void>;

export interface OutboxRelayOptions {
  dataSource: DataSource;
  databaseUrl: string;
  publish: PublishBatch;
  batchSize?: number;
  pollIntervalMs?: number;
  maxBackoffMs?: number;
  lockKey?: number;
  onError?: (error: unknown) => void;
  // Tells a record the broker refuses for good (too large, invalid) from a broker that is away; without it every
  // failure counts as the broker's.
  isRecordRefused?: (error: unknown) => boolean;
  // Refusals after which a record is parked for an operator (npm run outbox) instead of tried again.
  maxRefusals?: number;
}

interface OutboxRow {
  seq: string;
  id: string;
  aggregateid: string;
  type: string;
  topic: string;
  payload: OutboxRecord['payload'];
}

const toRecord = (row: OutboxRow): OutboxRecord => ({
  seq: row.seq,
  id: row.id,
  aggregateId: row.aggregateid,
  type: row.type,
  topic: row.topic,
  payload: row.payload,
});
const reason = (error: unknown) => String((error as Error)?.message ?? error).slice(0, 1_000);

// Rows the relay may send now: not sent, not parked or discarded, and not behind a parked row of their aggregate.
export const SENDABLE_OUTBOX_ROWS = `outbox.published_at IS NULL AND outbox.parked_at IS NULL AND outbox.discarded_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM outbox parked WHERE parked.aggregateid = outbox.aggregateid AND parked.seq < outbox.seq
                    AND parked.parked_at IS NOT NULL AND parked.published_at IS NULL AND parked.discarded_at IS NULL)`;

// Publishes committed outbox rows in insertion (seq) order, which is per-aggregate order because writers lock the
// aggregate's row; Kafka being down only delays them (at least once).
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | null = null;
  // Ends the current wait: always on stop, on a notification only while no failure backoff is running.
  private wakeOnStop: (() => void) | null = null;
  private wakeOnNotify: (() => void) | null = null;
  // Set by a notification, so one that arrives while a batch is being sent is not lost.
  private notified = false;
  private listener: Client | null = null;
  private reconnect: NodeJS.Timeout | null = null;

  constructor(private readonly options: OutboxRelayOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.listen();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeOnStop?.();
    if (this.reconnect) clearTimeout(this.reconnect);
    this.reconnect = null;
    await this.loop;
    await this.listener?.end().catch(() => undefined);
    this.listener = null;
  }

  // Runs one batch now; returns how many rows it published (the loop and tests use it).
  async flushOnce(): Promise<number> {
    const { dataSource, batchSize = 200, lockKey = 7_420_001 } = this.options;
    let failure: unknown = null;
    const published = await dataSource.transaction(async (manager) => {
      // One relay at a time per database keeps per-aggregate order across replicas.
      const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [lockKey]);
      if (!locked) return 0;
      const rows: OutboxRow[] = await manager.query(
        `SELECT seq, id, aggregateid, type, topic, payload FROM outbox WHERE ${SENDABLE_OUTBOX_ROWS} ORDER BY seq LIMIT $1`,
        [batchSize],
      );
      if (rows.length === 0) return 0;
      const outcome = await this.send(rows);
      // Committed, not thrown inside: attempts, refusals and reasons stay visible on the rows that could not be sent.
      if (outcome.sent.length > 0)
        await manager.query('UPDATE outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL WHERE seq = ANY($1::bigint[])', [outcome.sent]);
      for (const { seq, error } of outcome.refused) {
        await manager.query(
          `UPDATE outbox SET attempts = attempts + 1, refusals = refusals + 1, last_error = $2, parked_at = CASE WHEN refusals + 1 >= $3 THEN now() END WHERE seq = $1`,
          [seq, reason(error), this.options.maxRefusals ?? 5],
        );
      }
      if (outcome.failure) {
        await manager.query('UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE seq = ANY($1::bigint[])', [
          outcome.unsent,
          reason(outcome.failure),
        ]);
        failure = outcome.failure;
      }
      return outcome.sent.length;
    });
    if (failure) throw failure;
    return published;
  }

  // The whole batch in one request; if the broker refuses a record for good, one by one in order, so that every
  // other aggregate flows and the refused record's aggregate keeps its order behind it.
  private async send(rows: OutboxRow[]): Promise<{ sent: string[]; refused: Array<{ seq: string; error: unknown }>; unsent: string[]; failure: unknown }> {
    const { publish, isRecordRefused = () => false } = this.options;
    try {
      await publish(rows.map(toRecord));
      return { sent: rows.map((row) => row.seq), refused: [], unsent: [], failure: null };
    } catch (error) {
      if (!isRecordRefused(error)) return { sent: [], refused: [], unsent: rows.map((row) => row.seq), failure: error };
    }
    const sent: string[] = [];
    const refused: Array<{ seq: string; error: unknown }> = [];
    const held = new Set<string>();
    for (const [index, row] of rows.entries()) {
      if (held.has(row.aggregateid)) continue;
      try {
        await publish([toRecord(row)]);
        sent.push(row.seq);
      } catch (error) {
        if (!isRecordRefused(error))
          return {
            sent,
            refused,
            unsent: rows
              .slice(index)
              .filter((rest) => !held.has(rest.aggregateid))
              .map((rest) => rest.seq),
            failure: error,
          };
        refused.push({ seq: row.seq, error });
        held.add(row.aggregateid);
      }
    }
    return { sent, refused, unsent: [], failure: null };
  }

  // Rows still to be sent, including those waiting behind a parked row of their aggregate.
  async pendingCount(): Promise<number> {
    const [{ count }] = await this.options.dataSource.query(
      'SELECT count(*)::int AS count FROM outbox WHERE published_at IS NULL AND discarded_at IS NULL AND parked_at IS NULL',
    );
    return count;
  }

  async parkedCount(): Promise<number> {
    const [{ count }] = await this.options.dataSource.query(
      'SELECT count(*)::int AS count FROM outbox WHERE published_at IS NULL AND discarded_at IS NULL AND parked_at IS NOT NULL',
    );
    return count;
  }

  private async run(): Promise<void> {
    const { pollIntervalMs = 500, maxBackoffMs = 5_000, batchSize = 200 } = this.options;
    let backoff = 100;
    while (this.running) {
      this.notified = false;
      try {
        const published = await this.flushOnce();
        backoff = 100;
        if (published >= batchSize) continue;
        await this.idle(pollIntervalMs);
      } catch (error) {
        this.options.onError?.(error);
        // The full backoff: new rows must not turn a failing broker (or a row it refuses) into a retry storm.
        await this.idle(backoff, false);
        backoff = Math.min(backoff * 2, maxBackoffMs);
      }
    }
  }

  private idle(ms: number, byNotification = true): Promise<void> {
    if ((byNotification && this.notified) || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeOnStop = null;
        this.wakeOnNotify = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeOnStop = done;
      this.wakeOnNotify = byNotification ? done : null;
    });
  }

  private notify(): void {
    this.notified = true;
    this.wakeOnNotify?.();
  }

  // LISTEN wakes the relay at commit time; polling stays as the fallback when the listener is down.
  private async listen(): Promise<void> {
    while (this.running && !this.listener) {
      const client = new Client({ connectionString: this.options.databaseUrl, application_name: 'outbox-relay-listener' });
      try {
        client.on('notification', () => this.notify());
        client.on('error', () => {
          client.end().catch(() => undefined);
          // Only a listener that was up reconnects from here; one failing while connecting retries in the loop below.
          if (this.listener !== client) return;
          this.listener = null;
          if (this.running) this.reconnect = setTimeout(() => void this.listen(), 1_000);
        });
        await client.connect();
        await client.query('LISTEN outbox_inserted');
        this.listener = client;
        // Stopped while connecting: a later start() must LISTEN again, not find this closed client.
        if (!this.running) {
          this.listener = null;
          await client.end();
        }
      } catch {
        await client.end().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }
}
