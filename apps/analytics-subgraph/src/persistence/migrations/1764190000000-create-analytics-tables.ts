import type { MigrationInterface, QueryRunner } from 'typeorm';

// Read models built only from events; every table can be rebuilt by replaying the topics.
export class CreateAnalyticsTables1764190000000 implements MigrationInterface {
  name = 'CreateAnalyticsTables1764190000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE stage_event (
        event_id text PRIMARY KEY,
        opportunity_id uuid NOT NULL,
        pipeline_id uuid NOT NULL,
        version integer NOT NULL,
        from_stage text,
        to_stage text NOT NULL,
        to_category text NOT NULL,
        to_position integer,
        changed_at timestamptz NOT NULL,
        changed_by text,
        reason text,
        snapshot jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX stage_event_opportunity_idx ON stage_event (opportunity_id, version)`);
    await queryRunner.query(`CREATE INDEX stage_event_order_idx ON stage_event (changed_at, event_id)`);
    await queryRunner.query(`
      CREATE TABLE opportunity_fact (
        opportunity_id uuid PRIMARY KEY,
        version integer NOT NULL,
        pipeline_id uuid NOT NULL,
        stage text NOT NULL,
        stage_category text NOT NULL,
        stage_position integer,
        status text NOT NULL,
        name text NOT NULL,
        account_name text NOT NULL,
        amount numeric(19, 4),
        currency char(3),
        probability double precision NOT NULL,
        owner_id uuid,
        industry text,
        region text,
        lead_id uuid,
        lead_source text,
        expected_close_date date,
        created_at timestamptz NOT NULL,
        stage_entered_at timestamptz NOT NULL,
        closed_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX opportunity_fact_status_idx ON opportunity_fact (status, closed_at)`);
    await queryRunner.query(`CREATE INDEX opportunity_fact_owner_idx ON opportunity_fact (owner_id)`);
    await queryRunner.query(`
      CREATE TABLE stage_interval (
        opportunity_id uuid NOT NULL,
        seq integer NOT NULL,
        pipeline_id uuid NOT NULL,
        stage text NOT NULL,
        category text NOT NULL,
        position integer,
        entered_at timestamptz NOT NULL,
        left_at timestamptz,
        PRIMARY KEY (opportunity_id, seq)
      )`);
    await queryRunner.query(`CREATE INDEX stage_interval_stage_idx ON stage_interval (stage, entered_at)`);
    await queryRunner.query(`
      CREATE TABLE lead_fact (
        lead_id uuid PRIMARY KEY,
        version integer NOT NULL,
        source text NOT NULL,
        status text NOT NULL,
        owner_id uuid,
        industry text,
        region text,
        score integer,
        created_at timestamptz NOT NULL,
        converted_at timestamptz,
        opportunity_id uuid
      )`);
    await queryRunner.query(`CREATE INDEX lead_fact_created_idx ON lead_fact (created_at)`);
    await queryRunner.query(`
      CREATE TABLE deal_fact (
        opportunity_id uuid PRIMARY KEY,
        outcome text,
        lost_reason text,
        competitor text,
        closed_at timestamptz,
        amount numeric(19, 4),
        currency char(3),
        occurred_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      `CREATE TABLE rep_fact (rep_id uuid PRIMARY KEY, name text NOT NULL, team_id text, active boolean NOT NULL, version integer NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX rep_fact_team_idx ON rep_fact (team_id)`);
    await queryRunner.query(`
      CREATE TABLE forecast_snapshot (
        id uuid PRIMARY KEY,
        taken_at timestamptz NOT NULL,
        month date NOT NULL,
        currency char(3) NOT NULL,
        weighted numeric(19, 4) NOT NULL,
        p50 numeric(19, 4) NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX forecast_snapshot_taken_idx ON forecast_snapshot (taken_at DESC)`);
    await queryRunner.query(`CREATE TABLE weekly_summary (week_start date PRIMARY KEY, generated_at timestamptz NOT NULL, summary jsonb NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['weekly_summary', 'forecast_snapshot', 'rep_fact', 'deal_fact', 'lead_fact', 'stage_interval', 'opportunity_fact', 'stage_event']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
