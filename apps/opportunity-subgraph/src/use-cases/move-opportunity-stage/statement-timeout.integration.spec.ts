import { LOCAL_INTERNAL_SECRET } from '@pipeline/server-kit';
import { adminActor, errorCodes, startTestService, type TestService, waitFor } from '@pipeline/testing';

import { opportunityService } from '../../server';
import { createOpportunity, moveStage, readOpportunity } from '../../test-support';

// Every pool runs with a statement timeout: a request stuck behind a lock or a slow plan fails cleanly with a
// contract code, writes nothing, and gives its connection back.
describe('statement timeout', () => {
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startTestService('statement_timeout', opportunityService({ config: { internalSecret: LOCAL_INTERNAL_SECRET, production: false } }), {
      statementTimeoutMs: 500,
    });
  });
  afterAll(async () => subject?.stop());

  it('answers TIMEOUT for a move stuck behind a row lock, writes nothing, and serves the next request', async () => {
    // Arrange: another session holds the opportunity's row lock for longer than the timeout
    const opportunity = await createOpportunity(subject.as(admin));
    const holder = subject.service.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query('SELECT id FROM opportunity WHERE id = $1 FOR UPDATE', [opportunity.id]);

    // Act
    const stuck = await moveStage(subject.as(admin), opportunity.id, 'CLOSED_LOST', { reason: 'No budget this year' });
    await holder.rollbackTransaction();
    await holder.release();

    // Assert
    expect(errorCodes(stuck)).toEqual(['TIMEOUT']);
    expect(stuck.errors?.[0].message).not.toMatch(/SELECT|UPDATE|opportunity_id|canceling/i);
    const after = await readOpportunity(subject.as(admin), opportunity.id);
    expect({ version: after.version, stage: after.stage.key }).toEqual({ version: opportunity.version, stage: opportunity.stage.key });
    await waitFor(async () => !(await moveStage(subject.as(admin), opportunity.id, 'CLOSED_LOST', { reason: 'No budget this year' })).errors, {
      what: 'the same move to succeed once the lock is gone',
    });
  });
});
