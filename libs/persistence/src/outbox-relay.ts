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
}

export interface OutboxRelayStats {
  published: number;
  failures: number;
  lastError: string | null;
  pending?: number;
}

// Publishes committed outbox rows in commit order; Kafka being down only delays them (at least once).
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private listener: Client | null = null;
  readonly stats: OutboxRelayStats = { published: 0, failures: 0, lastError: null };

  constructor(private readonly options: OutboxRelayOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.listen();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
    this.listener = null;
  }

  // Runs one batch now; returns how many rows it published (tests and the stop path use it).
  async flushOnce(): Promise<number> {
    const { dataSource, publish, batchSize = 200, lockKey = 7_420_001 } = this.options;
    return dataSource.transaction(async (manager) => {
      // One relay at a time per database keeps per-aggregate order across replicas.
      const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [lockKey]);
      if (!locked) return 0;
      const rows: Array<{ seq: string; id: string; aggregateid: string; type: string; topic: string; payload: OutboxRecord['payload'] }> =
        await manager.query(
          'SELECT seq, id, aggregateid, type, topic, payload FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1',
          [batchSize],
        );
      if (rows.length === 0) return 0;
      await publish(rows.map((row) => ({ seq: row.seq, id: row.id, aggregateId: row.aggregateid, type: row.type, topic: row.topic, payload: row.payload })));
      await manager.query('UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE seq = ANY($1::bigint[])', [rows.map((row) => row.seq)]);
      this.stats.published += rows.length;
      return rows.length;
    });
  }

  async pendingCount(): Promise<number> {
    const [{ count }] = await this.options.dataSource.query('SELECT count(*)::int AS count FROM outbox WHERE published_at IS NULL');
    return count;
  }

  private async run(): Promise<void> {
    const { pollIntervalMs = 500, maxBackoffMs = 5_000, batchSize = 200 } = this.options;
    let backoff = 100;
    while (this.running) {
      try {
        const published = await this.flushOnce();
        backoff = 100;
        if (published >= batchSize) continue;
        await this.idle(pollIntervalMs);
      } catch (error) {
        this.stats.failures += 1;
        this.stats.lastError = (error as Error).message;
        this.options.onError?.(error);
        await this.idle(backoff);
        backoff = Math.min(backoff * 2, maxBackoffMs);
      }
    }
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  // LISTEN wakes the relay at commit time; polling stays as the fallback when the listener is down.
  private async listen(): Promise<void> {
    while (this.running && !this.listener) {
      const client = new Client({ connectionString: this.options.databaseUrl, application_name: 'outbox-relay-listener' });
      try {
        client.on('notification', () => this.wake?.());
        client.on('error', () => {
          this.listener = null;
          client.end().catch(() => undefined);
          if (this.running) setTimeout(() => void this.listen(), 1_000);
        });
        await client.connect();
        await client.query('LISTEN outbox_inserted');
        this.listener = client;
        if (!this.running) await client.end();
      } catch {
        await client.end().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }
}
