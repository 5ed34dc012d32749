import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateLeadTables1764160000000 implements MigrationInterface {
  name = 'CreateLeadTables1764160000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sales_rep (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        email text NOT NULL,
        role text NOT NULL CHECK (role IN ('REP', 'MANAGER', 'ANALYST', 'ADMIN')),
        team_id text,
        regions text[] NOT NULL DEFAULT '{}',
        industries text[] NOT NULL DEFAULT '{}',
        capacity integer NOT NULL CHECK (capacity >= 0),
        active boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        last_assigned_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX sales_rep_email_uq ON sales_rep (lower(email))`);
    await queryRunner.query(`CREATE INDEX sales_rep_team_idx ON sales_rep (team_id)`);

    await queryRunner.query(`
      CREATE TABLE qualification_criteria (
        version serial PRIMARY KEY,
        minimum_budget_amount numeric(19, 4),
        minimum_budget_currency char(3),
        max_purchase_horizon_days integer NOT NULL CHECK (max_purchase_horizon_days > 0),
        require_decision_maker boolean NOT NULL,
        require_confirmed_need boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text
      )`);
    await queryRunner.query(`
      INSERT INTO qualification_criteria (max_purchase_horizon_days, require_decision_maker, require_confirmed_need, created_by)
      VALUES (180, true, true, 'system')`);

    await queryRunner.query(`
      CREATE TABLE lead (
        id uuid PRIMARY KEY,
        external_id text,
        name text NOT NULL,
        email text,
        phone text,
        company text NOT NULL,
        industry text,
        region text,
        source text NOT NULL,
        source_detail text,
        status text NOT NULL CHECK (status IN ('NEW', 'WORKING', 'QUALIFIED', 'DISQUALIFIED', 'CONVERTED')),
        computed_score integer NOT NULL CHECK (computed_score BETWEEN 0 AND 100),
        score_factors jsonb NOT NULL DEFAULT '[]',
        score_method text NOT NULL DEFAULT 'RULES',
        score_model_version integer,
        score_override integer CHECK (score_override BETWEEN 0 AND 100),
        score_override_reason text,
        score integer GENERATED ALWAYS AS (coalesce(score_override, computed_score)) STORED,
        owner_id uuid REFERENCES sales_rep (id),
        assignment_reason text,
        assigned_at timestamptz,
        estimated_value_amount numeric(19, 4),
        estimated_value_currency char(3),
        qualification jsonb,
        opportunity_id uuid,
        version integer NOT NULL DEFAULT 1,
        last_activity_at timestamptz,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX lead_external_id_uq ON lead (external_id) WHERE external_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX lead_created_idx ON lead (created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX lead_owner_status_idx ON lead (owner_id, status)`);
    await queryRunner.query(`CREATE INDEX lead_status_idx ON lead (status)`);
    await queryRunner.query(`CREATE INDEX lead_email_idx ON lead (lower(email))`);
    await queryRunner.query(`CREATE INDEX lead_company_name_idx ON lead (lower(company), lower(name))`);

    await queryRunner.query(`
      CREATE TABLE lead_activity (
        id uuid PRIMARY KEY,
        lead_id uuid NOT NULL REFERENCES lead (id),
        type text NOT NULL,
        subject text NOT NULL,
        notes text,
        occurred_at timestamptz NOT NULL,
        owner_id text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX lead_activity_lead_idx ON lead_activity (lead_id, occurred_at DESC)`);

    await queryRunner.query(`
      CREATE TABLE scoring_model (
        version serial PRIMARY KEY,
        kind text NOT NULL,
        parameters jsonb NOT NULL,
        training_size integer NOT NULL,
        holdout_size integer NOT NULL,
        brier_score double precision,
        baseline_brier_score double precision,
        active boolean NOT NULL DEFAULT false,
        trained_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE scoring_model`);
    await queryRunner.query(`DROP TABLE lead_activity`);
    await queryRunner.query(`DROP TABLE lead`);
    await queryRunner.query(`DROP TABLE qualification_criteria`);
    await queryRunner.query(`DROP TABLE sales_rep`);
  }
}
