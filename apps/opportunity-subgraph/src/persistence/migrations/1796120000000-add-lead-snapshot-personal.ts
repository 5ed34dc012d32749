import type { MigrationInterface, QueryRunner } from 'typeorm';

// Conversion names the contact by opening the lead's sealed person through the lead service: the snapshot keeps the
// newest envelope (ciphertext only), and whether the person was erased (set by sales.lead.erased.v1).
export class AddLeadSnapshotPersonal1796120000000 implements MigrationInterface {
  name = 'AddLeadSnapshotPersonal1796120000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE lead_snapshot ADD COLUMN personal jsonb, ADD COLUMN erased boolean NOT NULL DEFAULT false`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE lead_snapshot DROP COLUMN erased, DROP COLUMN personal`);
  }
}
