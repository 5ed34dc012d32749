import type { MigrationInterface, QueryRunner } from 'typeorm';

// Objections raised on deals, by category.
export class AddDealObjections1764200000000 implements MigrationInterface {
  name = 'AddDealObjections1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE deal_objection (
        id uuid PRIMARY KEY,
        deal_id uuid NOT NULL REFERENCES deal (id),
        category text NOT NULL,
        note text,
        recorded_at timestamptz NOT NULL,
        recorded_by text
      )`);
    await queryRunner.query(`CREATE INDEX deal_objection_deal_idx ON deal_objection (deal_id, recorded_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE deal_objection`);
  }
}
