import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateEngagementTables1765000000000 implements MigrationInterface {
  name = 'CreateEngagementTables1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE rep (id uuid PRIMARY KEY, name text NOT NULL, role text NOT NULL, team_id text, active boolean NOT NULL, version integer NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX rep_team_idx ON rep (team_id)`);
    await queryRunner.query(
      `CREATE TABLE lead_snapshot (id uuid PRIMARY KEY, version integer NOT NULL, name text NOT NULL, company text NOT NULL, status text NOT NULL, owner_id uuid)`,
    );
    await queryRunner.query(`
      CREATE TABLE opportunity_snapshot (
        id uuid PRIMARY KEY,
        version integer NOT NULL,
        name text NOT NULL,
        status text NOT NULL,
        stage text NOT NULL,
        owner_id uuid,
        stage_entered_at timestamptz,
        stalled_notified_at timestamptz
      )`);
    await queryRunner.query(`
      CREATE TABLE task (
        id uuid PRIMARY KEY,
        title text NOT NULL,
        notes text,
        due_at timestamptz NOT NULL,
        assignee_id uuid NOT NULL,
        lead_id uuid,
        opportunity_id uuid,
        status text NOT NULL CHECK (status IN ('OPEN', 'DONE', 'CANCELLED')),
        completed_at timestamptz,
        cancel_reason text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        version integer NOT NULL,
        due_notified_at timestamptz,
        overdue_notified_at timestamptz,
        CHECK ((lead_id IS NULL) <> (opportunity_id IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX task_assignee_idx ON task (assignee_id, due_at, id)`);
    await queryRunner.query(`CREATE INDEX task_lead_idx ON task (lead_id, due_at) WHERE lead_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX task_opportunity_idx ON task (opportunity_id, due_at) WHERE opportunity_id IS NOT NULL`);
    // The due/overdue sweep reads only open tasks by due time.
    await queryRunner.query(`CREATE INDEX task_open_due_idx ON task (due_at) WHERE status = 'OPEN'`);
    await queryRunner.query(`
      CREATE TABLE notification (
        id uuid PRIMARY KEY,
        recipient_id text NOT NULL,
        recipient_team_id text,
        kind text NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        lead_id uuid,
        opportunity_id uuid,
        task_id uuid,
        source_key text NOT NULL,
        created_at timestamptz NOT NULL,
        read_at timestamptz,
        UNIQUE (source_key, recipient_id, kind)
      )`);
    await queryRunner.query(`CREATE INDEX notification_inbox_idx ON notification (recipient_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX notification_unread_idx ON notification (recipient_id) WHERE read_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['notification', 'task', 'opportunity_snapshot', 'lead_snapshot', 'rep']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
