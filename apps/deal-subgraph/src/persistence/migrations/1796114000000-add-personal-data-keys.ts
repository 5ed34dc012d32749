import { createPersonalDataKeyTable } from '@pipeline/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

// One AES-256 key per person a deal names (commitment contacts), per lead: erasing the lead destroys it.
export class AddPersonalDataKeys1796114000000 implements MigrationInterface {
  name = 'AddPersonalDataKeys1796114000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createPersonalDataKeyTable(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE personal_data_key`);
  }
}
