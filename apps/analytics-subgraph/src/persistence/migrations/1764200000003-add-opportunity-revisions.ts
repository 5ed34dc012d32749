import type { MigrationInterface, QueryRunner } from 'typeorm';

// Every created/updated fact's amount and close date with its time: with stage_event's snapshots, the history that
// rebuilds the pipeline as of any past instant (opportunity_fact keeps only the latest state).
export class AddOpportunityRevisions1764200000003 implements MigrationInterface {
  name = 'AddOpportunityRevisions1764200000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE opportunity_revision (
        event_id text PRIMARY KEY,
        opportunity_id uuid NOT NULL,
        version integer NOT NULL,
        recorded_at timestamptz NOT NULL,
        amount numeric(19, 4),
        currency char(3),
        expected_close_date date
      )`);
    await queryRunner.query(`CREATE INDEX opportunity_revision_opportunity_idx ON opportunity_revision (opportunity_id, recorded_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE opportunity_revision`);
  }
}
