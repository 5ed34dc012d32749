import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddTeamWebhooks1765000000001 implements MigrationInterface {
  name = 'AddTeamWebhooks1765000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhook_endpoint (
        id uuid PRIMARY KEY,
        team_id text NOT NULL,
        url text NOT NULL,
        secret text NOT NULL,
        active boolean NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX webhook_endpoint_team_idx ON webhook_endpoint (team_id) WHERE active`);
    await queryRunner.query(`
      CREATE TABLE webhook_delivery (
        id uuid PRIMARY KEY,
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoint (id),
        notification_id uuid NOT NULL REFERENCES notification (id),
        payload jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'DEAD')),
        attempts integer NOT NULL,
        next_attempt_at timestamptz NOT NULL,
        last_status integer,
        last_error text,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL,
        UNIQUE (endpoint_id, notification_id)
      )`);
    // The sender reads only what is due.
    await queryRunner.query(`CREATE INDEX webhook_delivery_due_idx ON webhook_delivery (next_attempt_at) WHERE status = 'PENDING'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE webhook_delivery`);
    await queryRunner.query(`DROP TABLE webhook_endpoint`);
  }
}
