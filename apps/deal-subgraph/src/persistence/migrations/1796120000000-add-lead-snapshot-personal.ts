import type { MigrationInterface, QueryRunner } from 'typeorm';

// A proposal greets the lead's person by name, opened through the lead service from the newest lead event's envelope.
export class AddLeadSnapshotPersonal1796120000000 implements MigrationInterface {
  name = 'AddLeadSnapshotPersonal1796120000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE lead_snapshot ADD COLUMN personal jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE lead_snapshot DROP COLUMN personal`);
  }
}
