import type { MigrationInterface, QueryRunner } from 'typeorm';

// Activities logged on opportunities (calls, emails, meetings, tasks, notes), for usage and engagement analytics. The
// owner is text: whoever logged it, a rep id or a system actor's name.
export class AddActivityFacts1764200000002 implements MigrationInterface {
  name = 'AddActivityFacts1764200000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE activity_fact (
        activity_id uuid PRIMARY KEY,
        opportunity_id uuid NOT NULL,
        type text NOT NULL,
        occurred_at timestamptz NOT NULL,
        owner_id text
      )`);
    await queryRunner.query(`CREATE INDEX activity_fact_opportunity_idx ON activity_fact (opportunity_id, occurred_at)`);
    await queryRunner.query(`CREATE INDEX activity_fact_owner_idx ON activity_fact (owner_id, occurred_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE activity_fact`);
  }
}
