import type { MigrationInterface, QueryRunner } from 'typeorm';

const COLUMNS = `
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
  seconds numeric NOT NULL`;
const KEY = 'grain, family, pipeline_id, owner_id, industry, lead_source, day, stay_pipeline_id, stage, position, currency, k, prev_day, flag';

// kpi_rollup split by grain: an unfiltered KPI or a series reads grain 0 or 3 (tens of thousands and a few thousand rows
// at 200,000 opportunities) and paid for the pages of the owner grains around them (300,000 rows, 90% of them grains 1
// and 2). Each grain is now its own table, pruned at planning; rows are copied in key order so a grain's families start
// out contiguous.
export class PartitionKpiRollupByGrain1796121088513 implements MigrationInterface {
  name = 'PartitionKpiRollupByGrain1796121088513';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE kpi_rollup RENAME TO kpi_rollup_unpartitioned`);
    await queryRunner.query(`DROP INDEX kpi_rollup_key`);
    await queryRunner.query(`DROP INDEX kpi_rollup_owner_idx`);
    await queryRunner.query(`CREATE TABLE kpi_rollup (${COLUMNS}) PARTITION BY LIST (grain)`);
    for (const grain of [0, 1, 2, 3]) await queryRunner.query(`CREATE TABLE kpi_rollup_grain_${grain} PARTITION OF kpi_rollup FOR VALUES IN (${grain})`);
    await queryRunner.query(`INSERT INTO kpi_rollup SELECT * FROM kpi_rollup_unpartitioned ORDER BY ${KEY}`);
    await queryRunner.query(`DROP TABLE kpi_rollup_unpartitioned`);
    await queryRunner.query(`CREATE UNIQUE INDEX kpi_rollup_key ON kpi_rollup (${KEY}) NULLS NOT DISTINCT`);
    await queryRunner.query(`CREATE INDEX kpi_rollup_owner_idx ON kpi_rollup (owner_id, family) WHERE grain = 1`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE kpi_rollup RENAME TO kpi_rollup_partitioned`);
    await queryRunner.query(`DROP INDEX kpi_rollup_key`);
    await queryRunner.query(`DROP INDEX kpi_rollup_owner_idx`);
    await queryRunner.query(`CREATE TABLE kpi_rollup (${COLUMNS})`);
    await queryRunner.query(`INSERT INTO kpi_rollup SELECT * FROM kpi_rollup_partitioned`);
    await queryRunner.query(`DROP TABLE kpi_rollup_partitioned`);
    await queryRunner.query(`CREATE UNIQUE INDEX kpi_rollup_key ON kpi_rollup (${KEY}) NULLS NOT DISTINCT`);
    await queryRunner.query(`CREATE INDEX kpi_rollup_owner_idx ON kpi_rollup (owner_id, family) WHERE grain = 1`);
  }
}
