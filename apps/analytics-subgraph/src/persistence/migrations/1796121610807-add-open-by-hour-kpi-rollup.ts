import type { MigrationInterface, QueryRunner } from 'typeorm';

// Day, stage and hour of entry of the rows of alias `a`, as family 9 keys them.
const byHour = (a: string) =>
  `(${a}.stage_entered_at AT TIME ZONE 'UTC')::date, ${a}.stage, extract(hour FROM ${a}.stage_entered_at AT TIME ZONE 'UTC')::integer`;

// Family 9 of kpi_rollup (see persistence/kpi-rollups.ts), grain 0 only: open opportunities by the UTC hour they entered
// their stage, so a stalled count reads the facts of one hour instead of one day (a 52-week series reads 156 such edges).
// What is folded is the current state less the contributions still waiting in kpi_fact_delta, which the next fold adds.
export class AddOpenByHourKpiRollup1796121610807 implements MigrationInterface {
  name = 'AddOpenByHourKpiRollup1796121610807';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      INSERT INTO kpi_rollup (grain, family, pipeline_id, owner_id, industry, lead_source, day, stay_pipeline_id, stage, position, currency, k, prev_day, flag, n, n2, amount, weighted, seconds)
      SELECT 0, 9, pipeline_id, NULL, NULL, NULL, day, NULL, stage, NULL, NULL, k, NULL, NULL, sum(n), 0, 0, 0, 0
        FROM (SELECT f.pipeline_id, ${byHour('f')}, 1 FROM opportunity_fact f WHERE f.status = 'OPEN' AND NOT f.archived
              UNION ALL
              SELECT d.pipeline_id, ${byHour('d')}, -d.sign FROM kpi_fact_delta d WHERE d.status = 'OPEN') AS c(pipeline_id, day, stage, k, n)
       GROUP BY pipeline_id, day, stage, k HAVING sum(n) <> 0 ORDER BY stage, day, k`);
    await queryRunner.query(`CREATE INDEX kpi_rollup_open_hour_idx ON kpi_rollup (stage, day, k) WHERE grain = 0 AND family = 9`);
    // One instant's stalls read the open opportunities of the days after its threshold, per stage.
    await queryRunner.query(`CREATE INDEX kpi_rollup_open_day_idx ON kpi_rollup (stage, day) WHERE grain = 0 AND family = 1`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX kpi_rollup_open_day_idx`);
    await queryRunner.query(`DROP INDEX kpi_rollup_open_hour_idx`);
    await queryRunner.query(`DELETE FROM kpi_rollup WHERE family = 9`);
  }
}
