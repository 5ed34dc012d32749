import type { MigrationInterface, QueryRunner } from 'typeorm';

// Conversion refuses an archived lead, as the lead service refuses every other change to one; the lead events carry the flag.
export class AddLeadSnapshotArchived1765100000000 implements MigrationInterface {
  name = 'AddLeadSnapshotArchived1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE lead_snapshot ADD COLUMN archived boolean NOT NULL DEFAULT false`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE lead_snapshot DROP COLUMN archived`);
  }
}
