import { createPersonalDataKeyTable } from '@pipeline/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

// One AES-256 key per person this service seals: a lead's (free text of the opportunity made from it that names its
// person, and the contact made from it), or a contact's entered directly; erasing the lead or the contact destroys it.
export class AddPersonalDataKeys1796130000000 implements MigrationInterface {
  name = 'AddPersonalDataKeys1796130000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createPersonalDataKeyTable(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE personal_data_key`);
  }
}
