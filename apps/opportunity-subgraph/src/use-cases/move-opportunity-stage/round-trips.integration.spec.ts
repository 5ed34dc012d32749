import { QueryCounter } from '@pipeline/persistence';
import { adminActor, expectNoErrors, type TestService } from '@pipeline/testing';

import { createOpportunity, moveStage, startOpportunityService } from '../../test-support';

// The statements of the transaction that wrote the move's history, whatever the relay and consumers run meanwhile.
const moveTransaction = (sql: QueryCounter) => sql.transactionsOf(/INSERT INTO "?stage_transition/i);

describe('a stage move through the API, in round trips to PostgreSQL', () => {
  const sql = new QueryCounter();
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startOpportunityService('move_round_trips', sql);
  });
  afterAll(async () => subject?.stop());

  it('locks and reads the opportunity, reads what its gates need, and writes the move with its history and event in one statement', async () => {
    // Arrange
    const opportunity = await createOpportunity(subject.as(admin), { amount: { amount: '9000', currency: 'EUR' }, expectedCloseDate: '2027-03-31' });
    sql.reset();

    // Act
    expectNoErrors(await moveStage(subject.as(admin), opportunity.id, 'PROPOSAL', { expectedVersion: 1, reason: 'Scoped' }));

    // Assert
    const statements = moveTransaction(sql);
    expect(statements).toHaveLength(5);
    expect([statements[0], statements[4]]).toEqual(['START TRANSACTION', 'COMMIT']);
    expect(statements[1]).toMatch(/FOR UPDATE OF o$/);
    expect(statements[3]).toMatch(/INSERT INTO outbox/);
  });
});
