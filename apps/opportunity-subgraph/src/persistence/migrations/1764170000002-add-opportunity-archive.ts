import type { MigrationInterface, QueryRunner } from 'typeorm';

// Archiving is reversible: the opportunity keeps every field and its history; archived_at set takes it out of lists,
// the board and segments (and, through opportunity.archived, the KPIs) until it is restored.
export class AddOpportunityArchive1764170000002 implements MigrationInterface {
  name = 'AddOpportunityArchive1764170000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE opportunity ADD COLUMN archived_at timestamptz, ADD COLUMN archived_reason text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE opportunity DROP COLUMN archived_at, DROP COLUMN archived_reason`);
  }
}
