import type { MigrationInterface, QueryRunner } from 'typeorm';

// Literal rows, not the domain constant: a migration must do the same thing forever.
const STAGES = [
  {
    key: 'QUALIFICATION',
    name: 'Qualification',
    position: 1,
    probability: 0.1,
    category: 'OPEN',
    entryCriteria: [],
    exitCriteria: [],
    stalledAfterDays: 14,
    automationTrigger: null,
  },
  {
    key: 'PROPOSAL',
    name: 'Proposal',
    position: 2,
    probability: 0.4,
    category: 'OPEN',
    entryCriteria: ['AMOUNT_SET', 'CLOSE_DATE_SET'],
    exitCriteria: [],
    stalledAfterDays: 21,
    automationTrigger: 'PROPOSAL_SENT',
  },
  {
    key: 'NEGOTIATION',
    name: 'Negotiation',
    position: 3,
    probability: 0.6,
    category: 'OPEN',
    entryCriteria: ['PROPOSAL_SENT'],
    exitCriteria: [],
    stalledAfterDays: 30,
    automationTrigger: 'NEGOTIATION_STARTED',
  },
  {
    key: 'CLOSED_WON',
    name: 'Closed won',
    position: 4,
    probability: 1,
    category: 'WON',
    entryCriteria: ['AMOUNT_SET', 'DEAL_WON'],
    exitCriteria: [],
    stalledAfterDays: null,
    automationTrigger: null,
  },
  {
    key: 'CLOSED_LOST',
    name: 'Closed lost',
    position: 5,
    probability: 0,
    category: 'LOST',
    entryCriteria: ['LOST_REASON_SET'],
    exitCriteria: [],
    stalledAfterDays: null,
    automationTrigger: null,
  },
];

// A fixed id lets every environment (and its events) agree on the default pipeline.
export const DEFAULT_PIPELINE_ID = '00000000-0000-4000-8000-000000000001';

export class SeedDefaultPipeline1764170000001 implements MigrationInterface {
  name = 'SeedDefaultPipeline1764170000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`INSERT INTO pipeline (id, name, is_default, version) VALUES ($1, 'Sales', true, 1)`, [DEFAULT_PIPELINE_ID]);
    for (const stage of STAGES) {
      await queryRunner.query(
        `INSERT INTO pipeline_stage (pipeline_id, key, name, position, probability, category, entry_criteria, exit_criteria, stalled_after_days, automation_trigger)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          DEFAULT_PIPELINE_ID,
          stage.key,
          stage.name,
          stage.position,
          stage.probability,
          stage.category,
          stage.entryCriteria,
          stage.exitCriteria,
          stage.stalledAfterDays,
          stage.automationTrigger,
        ],
      );
    }
    await queryRunner.query(`INSERT INTO pipeline_revision (pipeline_id, version, stages, changed_by) VALUES ($1, 1, $2::jsonb, 'system')`, [
      DEFAULT_PIPELINE_ID,
      JSON.stringify(STAGES.map((stage) => ({ ...stage, active: true }))),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM pipeline_revision WHERE pipeline_id = $1`, [DEFAULT_PIPELINE_ID]);
    await queryRunner.query(`DELETE FROM pipeline_stage WHERE pipeline_id = $1`, [DEFAULT_PIPELINE_ID]);
    await queryRunner.query(`DELETE FROM pipeline WHERE id = $1`, [DEFAULT_PIPELINE_ID]);
  }
}
