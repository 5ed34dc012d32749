import type { MigrationInterface, QueryRunner } from 'typeorm';

// Pipeline revisions, qualification criteria versions and scoring model activations, to compare cohorts around them.
export class AddProcessChanges1764200000004 implements MigrationInterface {
  name = 'AddProcessChanges1764200000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE process_change (
        event_id text PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('PIPELINE_REVISION', 'QUALIFICATION_CRITERIA', 'SCORING_MODEL')),
        subject text NOT NULL,
        version integer NOT NULL,
        changed_at timestamptz NOT NULL,
        changed_by text,
        details jsonb NOT NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX process_change_version_uq ON process_change (kind, subject, version)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE process_change`);
  }
}
