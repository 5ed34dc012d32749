import type { MigrationInterface, QueryRunner } from 'typeorm';

// The rep snapshot is the same table in every service that keeps one; the opportunity service indexed its team from the start.
export class AddRepSnapshotTeamIndex1764970000000 implements MigrationInterface {
  name = 'AddRepSnapshotTeamIndex1764970000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS rep_snapshot_team_idx ON rep_snapshot (team_id)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS rep_snapshot_team_idx`);
  }
}
