import type { MigrationInterface, QueryRunner } from 'typeorm';

// Archiving is reversible: the lead keeps every field and its history; archived_at set takes it out of lists,
// duplicate checks, capacity counts and the SLA queue until it is restored.
export class AddLeadArchive1764160000001 implements MigrationInterface {
  name = 'AddLeadArchive1764160000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE lead ADD COLUMN archived_at timestamptz, ADD COLUMN archived_reason text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE lead DROP COLUMN archived_at, DROP COLUMN archived_reason`);
  }
}
