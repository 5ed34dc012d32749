import { createPersonalDataKeyTable } from '@pipeline/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

// One AES-256 key per person the contact facts name: the lead's id for a contact made from a lead (destroyed when the
// lead's person is erased), the contact's id otherwise (destroyed by eraseContact).
export class AddPersonalDataKeys1796200000000 implements MigrationInterface {
  name = 'AddPersonalDataKeys1796200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createPersonalDataKeyTable(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE personal_data_key`);
  }
}
