import type { MigrationInterface, QueryRunner } from 'typeorm';

// A task on an opportunity made from a lead is published with the lead's person replaced in its text: the snapshots
// keep which lead an opportunity came from and the lead's sealed person (opened through the lead service), and the task
// which lead's person its text may name and that text with the person replaced, which erasure puts in its place.
export class AddTaskPersonText1796130000000 implements MigrationInterface {
  name = 'AddTaskPersonText1796130000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE lead_snapshot ADD COLUMN personal jsonb`);
    await queryRunner.query(`ALTER TABLE opportunity_snapshot ADD COLUMN lead_id uuid`);
    await queryRunner.query(`ALTER TABLE task ADD COLUMN person_lead_id uuid, ADD COLUMN redacted jsonb`);
    await queryRunner.query(`CREATE INDEX task_person_lead_idx ON task (person_lead_id) WHERE person_lead_id IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX task_person_lead_idx`);
    await queryRunner.query(`ALTER TABLE task DROP COLUMN redacted, DROP COLUMN person_lead_id`);
    await queryRunner.query(`ALTER TABLE opportunity_snapshot DROP COLUMN lead_id`);
    await queryRunner.query(`ALTER TABLE lead_snapshot DROP COLUMN personal`);
  }
}
