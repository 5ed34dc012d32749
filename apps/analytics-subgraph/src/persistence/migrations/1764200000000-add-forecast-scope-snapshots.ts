import type { MigrationInterface, QueryRunner } from 'typeorm';

// Weekly forecasts per company, team and rep, so their accuracy can be measured once the months close. A run row per
// week is the idempotent key: replicas racing to take the same week's snapshots insert it once, the others skip.
export class AddForecastScopeSnapshots1764200000000 implements MigrationInterface {
  name = 'AddForecastScopeSnapshots1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE forecast_snapshot_run (week_start date PRIMARY KEY, taken_at timestamptz NOT NULL, scopes integer NOT NULL)`);
    await queryRunner.query(`
      CREATE TABLE forecast_scope_snapshot (
        week_start date NOT NULL REFERENCES forecast_snapshot_run (week_start) ON DELETE CASCADE,
        level text NOT NULL CHECK (level IN ('COMPANY', 'TEAM', 'REP')),
        scope_key text NOT NULL,
        month date NOT NULL,
        currency char(3) NOT NULL,
        taken_at timestamptz NOT NULL,
        weighted numeric(19, 4) NOT NULL,
        p10 numeric(19, 4) NOT NULL,
        p50 numeric(19, 4) NOT NULL,
        p90 numeric(19, 4) NOT NULL,
        PRIMARY KEY (level, scope_key, month, currency, week_start)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE forecast_scope_snapshot`);
    await queryRunner.query(`DROP TABLE forecast_snapshot_run`);
  }
}
