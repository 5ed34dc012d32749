import type { MigrationInterface, QueryRunner } from 'typeorm';

// Grain 3 of kpi_rollup (see persistence/kpi-rollups.ts): per pipeline over all time, so unfiltered KPIs read a few
// hundred rows instead of a row per day and histogram bucket. It is grain 0 summed over days (every family but the open
// stays, which only dated questions need); contributions not folded yet are folded into it like every grain.
export class AddAllTimeKpiRollup1764190000003 implements MigrationInterface {
  name = 'AddAllTimeKpiRollup1764190000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      INSERT INTO kpi_rollup (grain, family, pipeline_id, owner_id, industry, lead_source, day, stay_pipeline_id, stage, position, currency, k, prev_day, flag, n, n2, amount, weighted, seconds)
      SELECT 3, family, pipeline_id, NULL, NULL, lead_source, NULL, stay_pipeline_id, stage, position, currency, k, NULL, flag, sum(n), sum(n2), sum(amount), sum(weighted), sum(seconds)
        FROM kpi_rollup WHERE grain = 0 AND family <> 4
       GROUP BY family, pipeline_id, lead_source, stay_pipeline_id, stage, position, currency, k, flag`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM kpi_rollup WHERE grain = 3`);
  }
}
