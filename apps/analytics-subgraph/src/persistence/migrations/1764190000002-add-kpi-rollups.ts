import type { MigrationInterface, QueryRunner } from 'typeorm';

// KPIs kept as rollups (see persistence/kpi-rollups.ts): every projection writes what it changes as signed contributions
// (the state before with -1, after with +1) in its own transaction; folds sum them into kpi_rollup by grain.
export class AddKpiRollups1764190000002 implements MigrationInterface {
  name = 'AddKpiRollups1764190000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE kpi_fact_delta (
        sign smallint NOT NULL,
        pipeline_id uuid NOT NULL,
        owner_id uuid,
        industry text,
        lead_source text,
        status text NOT NULL,
        stage text NOT NULL,
        stage_position integer,
        currency char(3),
        amount numeric(19, 4),
        weighted numeric,
        created_at timestamptz NOT NULL,
        stage_entered_at timestamptz NOT NULL,
        closed_at timestamptz
      )`);
    await queryRunner.query(`
      CREATE TABLE kpi_stay_delta (
        sign smallint NOT NULL,
        pipeline_id uuid NOT NULL,
        owner_id uuid,
        industry text,
        lead_source text,
        currency char(3),
        amount numeric(19, 4),
        weighted numeric,
        stay_pipeline_id uuid NOT NULL,
        stage text NOT NULL,
        category text NOT NULL,
        position integer,
        entered_at timestamptz NOT NULL,
        left_at timestamptz,
        later_position integer,
        previous_entry_at timestamptz
      )`);
    await queryRunner.query(`
      CREATE TABLE kpi_lead_delta (
        sign smallint NOT NULL,
        owner_id uuid,
        industry text,
        lead_source text NOT NULL,
        created_at timestamptz NOT NULL,
        converted boolean NOT NULL
      )`);
    // grain 0: pipeline and UTC day; 1: pipeline and owner; 2: pipeline, owner, industry and source (1 and 2 over all time).
    await queryRunner.query(`
      CREATE TABLE kpi_rollup (
        grain smallint NOT NULL,
        family smallint NOT NULL,
        pipeline_id uuid,
        owner_id uuid,
        industry text,
        lead_source text,
        day date,
        stay_pipeline_id uuid,
        stage text,
        position integer,
        currency char(3),
        k integer,
        prev_day date,
        flag boolean,
        n bigint NOT NULL,
        n2 bigint NOT NULL,
        amount numeric NOT NULL,
        weighted numeric NOT NULL,
        seconds numeric NOT NULL
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX kpi_rollup_key ON kpi_rollup (grain, family, pipeline_id, owner_id, industry, lead_source, day, stay_pipeline_id, stage, position, currency, k, prev_day, flag) NULLS NOT DISTINCT`,
    );
    await queryRunner.query(`CREATE INDEX kpi_rollup_owner_idx ON kpi_rollup (owner_id, family) WHERE grain = 1`);
    // Exact corrections at the edges of a day: stays entered (and so left) around an instant, open opportunities by entry.
    await queryRunner.query(`CREATE INDEX stage_interval_entered_idx ON stage_interval (entered_at)`);
    await queryRunner.query(`CREATE INDEX opportunity_fact_open_entered_idx ON opportunity_fact (stage_entered_at) WHERE status = 'OPEN'`);
    // What is already projected counts from the start: the first fold adds it.
    await queryRunner.query(`
      INSERT INTO kpi_fact_delta
      SELECT 1, f.pipeline_id, f.owner_id, lower(f.industry), f.lead_source, f.status, f.stage, f.stage_position, f.currency, f.amount, f.amount * f.probability::numeric,
             f.created_at, f.stage_entered_at, f.closed_at
        FROM opportunity_fact f`);
    await queryRunner.query(`
      INSERT INTO kpi_stay_delta
      SELECT 1, f.pipeline_id, f.owner_id, lower(f.industry), f.lead_source, f.currency, f.amount, f.amount * f.probability::numeric,
             i.pipeline_id, i.stage, i.category, i.position, i.entered_at, i.left_at, i.later_position, i.previous_entry_at
        FROM stage_interval i JOIN opportunity_fact f ON f.opportunity_id = i.opportunity_id`);
    await queryRunner.query(`
      INSERT INTO kpi_lead_delta
      SELECT 1, l.owner_id, lower(l.industry), l.source, l.created_at, l.converted_at IS NOT NULL FROM lead_fact l`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX opportunity_fact_open_entered_idx`);
    await queryRunner.query(`DROP INDEX stage_interval_entered_idx`);
    for (const table of ['kpi_rollup', 'kpi_lead_delta', 'kpi_stay_delta', 'kpi_fact_delta']) await queryRunner.query(`DROP TABLE ${table}`);
  }
}
