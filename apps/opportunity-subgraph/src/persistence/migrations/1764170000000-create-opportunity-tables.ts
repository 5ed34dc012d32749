import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOpportunityTables1764170000000 implements MigrationInterface {
  name = 'CreateOpportunityTables1764170000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE pipeline (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        is_default boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX pipeline_single_default_uq ON pipeline (is_default) WHERE is_default`);
    await queryRunner.query(`CREATE UNIQUE INDEX pipeline_name_uq ON pipeline (lower(name))`);
    await queryRunner.query(`
      CREATE TABLE pipeline_stage (
        pipeline_id uuid NOT NULL REFERENCES pipeline (id),
        key text NOT NULL,
        name text NOT NULL,
        position integer NOT NULL,
        probability numeric(5, 4) NOT NULL CHECK (probability BETWEEN 0 AND 1),
        category text NOT NULL CHECK (category IN ('OPEN', 'WON', 'LOST')),
        entry_criteria text[] NOT NULL DEFAULT '{}',
        exit_criteria text[] NOT NULL DEFAULT '{}',
        stalled_after_days integer,
        automation_trigger text,
        active boolean NOT NULL DEFAULT true,
        PRIMARY KEY (pipeline_id, key)
      )`);
    await queryRunner.query(`
      CREATE TABLE pipeline_revision (
        pipeline_id uuid NOT NULL REFERENCES pipeline (id),
        version integer NOT NULL,
        stages jsonb NOT NULL,
        changed_by text,
        changed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (pipeline_id, version)
      )`);

    await queryRunner.query(`
      CREATE TABLE rep_snapshot (
        id uuid PRIMARY KEY,
        team_id text,
        active boolean NOT NULL,
        version integer NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX rep_snapshot_team_idx ON rep_snapshot (team_id)`);
    await queryRunner.query(`
      CREATE TABLE lead_snapshot (
        id uuid PRIMARY KEY,
        version integer NOT NULL,
        status text NOT NULL,
        name text NOT NULL,
        company text NOT NULL,
        industry text,
        region text,
        source text NOT NULL,
        owner_id uuid,
        estimated_value_amount numeric(19, 4),
        estimated_value_currency char(3),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE opportunity (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        account_name text NOT NULL,
        industry text,
        region text,
        amount numeric(19, 4),
        currency char(3),
        pipeline_id uuid NOT NULL REFERENCES pipeline (id),
        stage_key text NOT NULL,
        stage_entered_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('OPEN', 'WON', 'LOST')),
        probability_override numeric(5, 4) CHECK (probability_override BETWEEN 0 AND 1),
        expected_close_date date,
        owner_id uuid,
        lead_id uuid,
        lead_source text,
        external_id text,
        deferred_until date,
        lost_reason text,
        version integer NOT NULL DEFAULT 1,
        stage_sequence integer NOT NULL DEFAULT 1,
        last_activity_at timestamptz,
        created_by text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        closed_at timestamptz,
        FOREIGN KEY (pipeline_id, stage_key) REFERENCES pipeline_stage (pipeline_id, key)
      )`);
    // One opportunity per lead: a second conversion, even a concurrent one, fails here.
    await queryRunner.query(`CREATE UNIQUE INDEX opportunity_lead_uq ON opportunity (lead_id) WHERE lead_id IS NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX opportunity_external_id_uq ON opportunity (external_id) WHERE external_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX opportunity_created_idx ON opportunity (created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX opportunity_pipeline_stage_idx ON opportunity (pipeline_id, stage_key)`);
    await queryRunner.query(`CREATE INDEX opportunity_owner_idx ON opportunity (owner_id)`);
    await queryRunner.query(`CREATE INDEX opportunity_status_idx ON opportunity (status)`);

    await queryRunner.query(`
      CREATE TABLE stage_transition (
        id bigserial PRIMARY KEY,
        opportunity_id uuid NOT NULL REFERENCES opportunity (id),
        from_stage text,
        to_stage text NOT NULL,
        changed_at timestamptz NOT NULL,
        changed_by text,
        reason text,
        time_in_previous_stage_seconds integer,
        version integer NOT NULL,
        UNIQUE (opportunity_id, version)
      )`);
    await queryRunner.query(`
      CREATE TABLE activity (
        id uuid PRIMARY KEY,
        opportunity_id uuid NOT NULL REFERENCES opportunity (id),
        type text NOT NULL,
        subject text NOT NULL,
        notes text,
        occurred_at timestamptz NOT NULL,
        owner_id text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX activity_opportunity_idx ON activity (opportunity_id, occurred_at DESC)`);
    await queryRunner.query(`
      CREATE TABLE deal_fact (
        opportunity_id uuid PRIMARY KEY,
        proposal_sent boolean NOT NULL DEFAULT false,
        negotiation_started boolean NOT NULL DEFAULT false,
        outcome text,
        lost_reason text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE opportunity_setting (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_by text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'opportunity_setting',
      'deal_fact',
      'activity',
      'stage_transition',
      'opportunity',
      'lead_snapshot',
      'rep_snapshot',
      'pipeline_revision',
      'pipeline_stage',
      'pipeline',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
