import { createPersonalDataKeyTable } from '@pipeline/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

// One AES-256 key per person the contact facts name: the lead's id for a contact made from a lead (destroyed when the
// lead's person is erased), the contact's id otherwise (destroyed by eraseContact).
export class AddPersonalDataKeys1796200000000 implements MigrationInterface {
  name = 'AddPersonalDataKeys1796200000000';

  // The same table (same subjects: a lead's id is its person's key here whoever seals with it) may already be made by the
  // migration that seals an opportunity's free text naming the lead's person; one table serves both.
  async up(queryRunner: QueryRunner): Promise<void> {
    if (!(await queryRunner.hasTable('personal_data_key'))) await createPersonalDataKeyTable(queryRunner);
  }

  async down(): Promise<void> {
    // Left in place: the free-text migration may own it, and its destroyed keys are the record of who was erased.
  }
}
