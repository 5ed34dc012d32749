import type { MigrationInterface, QueryRunner } from 'typeorm';

// Indexes for the parts of a KPI still read from the facts. Exact cycle percentiles of a few thousand won opportunities
// of a team or an owner: their won rows only, found by owner (the status index gave every won row, then the join kept
// a tenth). Stalled counts at the edge of a day: open opportunities of one stage entered in a range (the index on entry
// alone fetched every stage's rows of that day and filtered them).
export class AddKpiScopeIndexes1796121088514 implements MigrationInterface {
  name = 'AddKpiScopeIndexes1796121088514';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX opportunity_fact_won_owner_idx ON opportunity_fact (owner_id) WHERE status = 'WON'`);
    await queryRunner.query(`CREATE INDEX opportunity_fact_open_stage_entered_idx ON opportunity_fact (stage, stage_entered_at) WHERE status = 'OPEN'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX opportunity_fact_open_stage_entered_idx`);
    await queryRunner.query(`DROP INDEX opportunity_fact_won_owner_idx`);
  }
}
