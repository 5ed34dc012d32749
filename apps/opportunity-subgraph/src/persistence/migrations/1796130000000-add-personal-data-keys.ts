import { createPersonalDataKeyTable } from '@pipeline/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

// Free text of an opportunity made from a lead that names the lead's person is published redacted, the original sealed
// with a key per lead kept here; erasing the lead destroys it.
export class AddPersonalDataKeys1796130000000 implements MigrationInterface {
  name = 'AddPersonalDataKeys1796130000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createPersonalDataKeyTable(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE personal_data_key`);
  }
}
