import type { MigrationInterface, QueryRunner } from 'typeorm';

// Playbooks as data on stages: guidance for working a deal there and notes per objection category.
export class AddStagePlaybooks1764200000000 implements MigrationInterface {
  name = 'AddStagePlaybooks1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE pipeline_stage ADD COLUMN guidance text, ADD COLUMN objection_notes jsonb NOT NULL DEFAULT '[]'::jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE pipeline_stage DROP COLUMN guidance, DROP COLUMN objection_notes`);
  }
}
