import type { MigrationInterface, QueryRunner } from 'typeorm';

// Deal commands refuse an archived opportunity, as the opportunity service refuses every change to one but its restore.
export class AddOpportunitySnapshotArchived1765100000000 implements MigrationInterface {
  name = 'AddOpportunitySnapshotArchived1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE opportunity_snapshot ADD COLUMN archived boolean NOT NULL DEFAULT false`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE opportunity_snapshot DROP COLUMN archived`);
  }
}
