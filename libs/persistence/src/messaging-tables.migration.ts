import type { MigrationInterface, QueryRunner } from 'typeorm';

// Outbox (events waiting for Kafka) and processed_event (consumer dedupe), identical in every service's database.
export class CreateMessagingTables1764150000000 implements MigrationInterface {
  name = 'CreateMessagingTables1764150000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox (
        seq bigserial PRIMARY KEY,
        id uuid NOT NULL UNIQUE,
        aggregatetype text NOT NULL,
        aggregateid text NOT NULL,
        type text NOT NULL,
        topic text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      )`);
    await queryRunner.query(`CREATE INDEX outbox_unpublished_idx ON outbox (seq) WHERE published_at IS NULL`);
    await queryRunner.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('outbox_inserted', '');
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER outbox_notify_trg AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`);
    await queryRunner.query(`
      CREATE TABLE processed_event (
        consumer text NOT NULL,
        event_id text NOT NULL,
        event_type text NOT NULL,
        outcome text NOT NULL DEFAULT 'APPLIED',
        detail text,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE processed_event`);
    await queryRunner.query(`DROP TRIGGER outbox_notify_trg ON outbox`);
    await queryRunner.query(`DROP FUNCTION outbox_notify()`);
    await queryRunner.query(`DROP TABLE outbox`);
  }
}
