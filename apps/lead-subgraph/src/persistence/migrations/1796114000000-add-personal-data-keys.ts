import type { MigrationInterface, QueryRunner } from 'typeorm';

// One AES-256 key per lead's person: events carry the person's fields encrypted with it, erasure destroys it (key NULL,
// destroyed_at kept so no new key is ever made for an erased person).
export class AddPersonalDataKeys1796114000000 implements MigrationInterface {
  name = 'AddPersonalDataKeys1796114000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE personal_data_key (
        subject_id text PRIMARY KEY,
        key bytea CHECK (key IS NULL OR octet_length(key) = 32),
        created_at timestamptz NOT NULL DEFAULT now(),
        destroyed_at timestamptz,
        CHECK ((key IS NULL) = (destroyed_at IS NOT NULL))
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE personal_data_key`);
  }
}
