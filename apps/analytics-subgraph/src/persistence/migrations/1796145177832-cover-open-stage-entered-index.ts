import type { MigrationInterface, QueryRunner } from 'typeorm';

// Stalled counts read, per stage and threshold, the open opportunities entered in a range, and then their owner (a team's
// or a manager's view) and archived flag: from the index alone now, where each lookup fetched its heap pages (2,432 for
// a team's three stages at 1,000,000 opportunities). The covering index replaces the plain one on the same keys.
export class CoverOpenStageEnteredIndex1796145177832 implements MigrationInterface {
  name = 'CoverOpenStageEnteredIndex1796145177832';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX opportunity_fact_open_stage_entered_cover_idx ON opportunity_fact (stage, stage_entered_at) INCLUDE (owner_id, archived) WHERE status = 'OPEN'`,
    );
    await queryRunner.query(`DROP INDEX opportunity_fact_open_stage_entered_idx`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX opportunity_fact_open_stage_entered_idx ON opportunity_fact (stage, stage_entered_at) WHERE status = 'OPEN'`);
    await queryRunner.query(`DROP INDEX opportunity_fact_open_stage_entered_cover_idx`);
  }
}
