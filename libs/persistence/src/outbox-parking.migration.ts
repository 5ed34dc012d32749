import type { MigrationInterface, QueryRunner } from 'typeorm';

// A row the broker refuses for good is parked after a few refusals instead of blocking every row behind it;
// an operator retries or discards it (npm run outbox). Rows of the same aggregate wait behind it, in order.
export class ParkRefusedOutboxRows1764950000000 implements MigrationInterface {
  name = 'ParkRefusedOutboxRows1764950000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE outbox
        ADD COLUMN refusals integer NOT NULL DEFAULT 0,
        ADD COLUMN parked_at timestamptz,
        ADD COLUMN discarded_at timestamptz,
        ADD COLUMN discard_reason text`);
    // Held rows are found by aggregate among the (normally no) parked ones.
    await queryRunner.query(
      `CREATE INDEX outbox_parked_idx ON outbox (aggregateid, seq) WHERE parked_at IS NOT NULL AND published_at IS NULL AND discarded_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX outbox_parked_idx`);
    await queryRunner.query(`ALTER TABLE outbox DROP COLUMN discard_reason, DROP COLUMN discarded_at, DROP COLUMN parked_at, DROP COLUMN refusals`);
  }
}
