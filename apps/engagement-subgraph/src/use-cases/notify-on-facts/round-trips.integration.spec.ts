import { randomUUID } from 'node:crypto';

import { TOPICS } from '@pipeline/events';
import { QueryCounter } from '@pipeline/persistence';
import { publishFacts, type TestService, waitFor } from '@pipeline/testing';

import { stageChangedData, startEngagementService } from '../../test-support';

// The statements of the consumer's transactions (the ones that claimed events).
const consumerTransactions = (sql: QueryCounter) => sql.transactionsOf(/INSERT INTO processed_event/i);

describe('keeping the opportunities work is planned on from stage changes, in round trips to PostgreSQL per chunk', () => {
  const sql = new QueryCounter();
  let subject: TestService;

  beforeAll(async () => {
    subject = await startEngagementService('engagement_round_trips', {}, sql);
  });
  afterAll(async () => subject?.stop());

  it.each([
    [1, 4],
    [100, 4],
  ])('claims and upserts a chunk of %i stage change(s) in %i statements', async (count, expected) => {
    // Arrange
    sql.reset();

    // Act: one produce request to one partition, so the consumer applies the events as one chunk
    const ids = await publishFacts(
      subject.topicPrefix,
      Array.from({ length: count }, () => {
        const opportunityId = randomUUID();
        return {
          topic: TOPICS.stageChanged,
          type: 'sales.opportunity.stage_changed.v1' as const,
          subject: opportunityId,
          data: stageChangedData(opportunityId, null),
        };
      }),
      { partition: 0 },
    );
    await waitFor(
      async () => (await subject.service.dataSource.query('SELECT count(*)::int AS n FROM processed_event WHERE event_id = ANY($1)', [ids]))[0].n === count,
      { what: 'the chunk applied', timeoutMs: 30_000 },
    );

    // Assert
    const statements = consumerTransactions(sql);
    expect(statements.filter((statement) => statement === 'START TRANSACTION')).toHaveLength(1);
    expect(statements).toHaveLength(expected);
    expect([statements[0], statements[statements.length - 1]]).toEqual(['START TRANSACTION', 'COMMIT']);
  });
});
