import type { MigrationInterface, QueryRunner } from 'typeorm';

// A merged duplicate stays (its history and events are kept) and points to the lead that absorbed it.
export class AddLeadMerge1764160000002 implements MigrationInterface {
  name = 'AddLeadMerge1764160000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE lead ADD COLUMN merged_into_lead_id uuid REFERENCES lead (id), ADD COLUMN merged_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE lead DROP COLUMN merged_into_lead_id, DROP COLUMN merged_at`);
  }
}
