import type { MigrationInterface, QueryRunner } from 'typeorm';

// Per stay, what conversion rates need, computed when the timeline is rebuilt instead of at every KPI query:
// the furthest non-lost stage reached afterwards, and when the opportunity last entered the same stage before.
export class AddStayDerivedColumns1764190000001 implements MigrationInterface {
  name = 'AddStayDerivedColumns1764190000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE stage_interval ADD COLUMN later_position integer, ADD COLUMN previous_entry_at timestamptz`);
    await queryRunner.query(`
      UPDATE stage_interval i SET later_position = derived.later_position, previous_entry_at = derived.previous_entry_at
        FROM (SELECT opportunity_id, seq,
                     max(CASE WHEN category <> 'LOST' THEN position END) OVER (PARTITION BY opportunity_id ORDER BY seq ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS later_position,
                     lag(entered_at) OVER (PARTITION BY opportunity_id, stage ORDER BY seq) AS previous_entry_at
                FROM stage_interval) derived
       WHERE derived.opportunity_id = i.opportunity_id AND derived.seq = i.seq`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE stage_interval DROP COLUMN later_position, DROP COLUMN previous_entry_at`);
  }
}
