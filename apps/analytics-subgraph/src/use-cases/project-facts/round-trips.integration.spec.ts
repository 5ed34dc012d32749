import { randomUUID } from 'node:crypto';

import { TOPICS } from '@pipeline/events';
import { QueryCounter } from '@pipeline/persistence';
import { type Fact, publishFacts, type TestService, waitFor } from '@pipeline/testing';

import { PIPELINE_ID, startAnalytics } from '../../test-support';

// The statements of the consumer's transactions (the ones that claimed events), whatever the fold job runs meanwhile.
const consumerTransactions = (sql: QueryCounter) => sql.transactionsOf(/INSERT INTO processed_event/i);

const stageChanged = (opportunityId: string): Fact<'sales.opportunity.stage_changed.v1'> => ({
  topic: TOPICS.stageChanged,
  type: 'sales.opportunity.stage_changed.v1',
  subject: opportunityId,
  data: {
    opportunityId,
    pipelineId: PIPELINE_ID,
    fromStage: null,
    toStage: 'QUALIFICATION',
    toStageCategory: 'OPEN',
    toStagePosition: 1,
    changedAt: '2026-12-01T10:00:00.000Z',
    changedBy: null,
    reason: null,
    version: 1,
    previousStageEnteredAt: null,
    opportunity: {
      name: 'Expansion',
      accountName: 'Initech',
      industry: 'Software',
      amount: { amount: '9000.00', currency: 'EUR' },
      probability: 0.1,
      ownerId: randomUUID(),
      leadId: null,
      leadSource: 'REFERRAL',
      expectedCloseDate: null,
      createdAt: '2026-12-01T10:00:00.000Z',
      status: 'OPEN',
    },
  },
});

describe('projecting stage changes, in round trips to PostgreSQL per chunk', () => {
  const sql = new QueryCounter();
  let subject: TestService;

  beforeAll(async () => {
    subject = await startAnalytics('analytics_round_trips', { sqlLogger: sql });
  });
  afterAll(async () => subject?.stop());

  // One produce request to one partition: the consumer gets the events in one batch and applies them as one chunk.
  async function applyOneChunk(count: number): Promise<string[]> {
    sql.reset();
    const ids = await publishFacts(
      subject.topicPrefix,
      Array.from({ length: count }, () => stageChanged(randomUUID())),
      { partition: 0 },
    );
    await waitFor(
      async () => (await subject.service.dataSource.query('SELECT count(*)::int AS n FROM processed_event WHERE event_id = ANY($1)', [ids]))[0].n === count,
      { what: 'the chunk applied', timeoutMs: 30_000 },
    );
    return consumerTransactions(sql);
  }

  it.each([1, 100])('claims, keeps and projects a chunk of %i stage change(s) in a fixed number of statements', async (count) => {
    // Act
    const statements = await applyOneChunk(count);

    // Assert
    expect(statements.filter((statement) => statement === 'START TRANSACTION')).toHaveLength(1);
    expect(statements).toHaveLength(11);
    expect([statements[0], statements[statements.length - 1]]).toEqual(['START TRANSACTION', 'COMMIT']);
  });
});
