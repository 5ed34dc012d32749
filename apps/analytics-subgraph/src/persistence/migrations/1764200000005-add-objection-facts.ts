import type { MigrationInterface, QueryRunner } from 'typeorm';

// Objections raised on deals, by category, to link them with how deals ended and why they were lost.
export class AddObjectionFacts1764200000005 implements MigrationInterface {
  name = 'AddObjectionFacts1764200000005';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE objection_fact (
        objection_id uuid PRIMARY KEY,
        opportunity_id uuid NOT NULL,
        category text NOT NULL,
        recorded_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX objection_fact_opportunity_idx ON objection_fact (opportunity_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE objection_fact`);
  }
}
