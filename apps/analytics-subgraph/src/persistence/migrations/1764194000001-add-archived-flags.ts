import type { MigrationInterface, QueryRunner } from 'typeorm';

// Archived opportunities and leads (sales.*.archived.v1) stay in the facts but count in no KPI until restored.
export class AddArchivedFlags1764194000001 implements MigrationInterface {
  name = 'AddArchivedFlags1764194000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE opportunity_fact ADD COLUMN archived boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE lead_fact ADD COLUMN archived boolean NOT NULL DEFAULT false`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE opportunity_fact DROP COLUMN archived`);
    await queryRunner.query(`ALTER TABLE lead_fact DROP COLUMN archived`);
  }
}
