import type { MigrationInterface, QueryRunner } from 'typeorm';

// Stage moves the gates refused, one row per refusal fact, for gate friction (which criteria block, for how long).
export class AddGateRefusals1764200000001 implements MigrationInterface {
  name = 'AddGateRefusals1764200000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE gate_refusal (
        event_id text PRIMARY KEY,
        opportunity_id uuid NOT NULL,
        pipeline_id uuid NOT NULL,
        from_stage text NOT NULL,
        to_stage text NOT NULL,
        unmet_criteria text[] NOT NULL,
        refused_at timestamptz NOT NULL,
        refused_by text,
        owner_id uuid,
        version integer NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX gate_refusal_opportunity_idx ON gate_refusal (opportunity_id, refused_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE gate_refusal`);
  }
}
