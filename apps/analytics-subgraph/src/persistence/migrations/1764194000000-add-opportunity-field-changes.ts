import type { MigrationInterface, QueryRunner } from 'typeorm';

// Field history from opportunity.updated: one row per changed field with the value before and after, so slips
// (close dates pushed out, amounts cut, owners swapped) can be queried without replaying the topic.
export class AddOpportunityFieldChanges1764194000000 implements MigrationInterface {
  name = 'AddOpportunityFieldChanges1764194000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE opportunity_field_change (
        event_id text NOT NULL,
        field text NOT NULL,
        opportunity_id uuid NOT NULL,
        version integer NOT NULL,
        previous_value jsonb,
        new_value jsonb,
        changed_at timestamptz NOT NULL,
        changed_by text,
        PRIMARY KEY (event_id, field)
      )`);
    await queryRunner.query(`CREATE INDEX opportunity_field_change_order_idx ON opportunity_field_change (changed_at, event_id, field)`);
    await queryRunner.query(`CREATE INDEX opportunity_field_change_opportunity_idx ON opportunity_field_change (opportunity_id, version)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE opportunity_field_change`);
  }
}
