import { adminActor, expectNoErrors, waitFor } from '@pipeline/testing';
import { Client } from 'pg';

import { callAs, sql } from './faults-env';
import { createOpportunity, move } from './scenario';

describe('PostgreSQL connections dropped', () => {
  it('lets every service reconnect without a restart: API, outbox relay and consumers carry on', async () => {
    // Arrange
    const admin = await callAs(adminActor());
    const before = await createOpportunity(admin);
    const client = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();

    // Act: terminate every backend of the stack's databases (pools, LISTEN connections, consumers)
    const terminated = await client.query(
      `SELECT count(*)::int AS count FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname LIKE $1 AND pid <> pg_backend_pid()) t`,
      [`${process.env.E2E_DATABASE_PREFIX}%`],
    );
    await client.end();

    // Assert: the API answers again and a new change goes all the way through
    expect(terminated.rows[0].count).toBeGreaterThan(4);
    const after = await waitFor(
      async () => {
        const response = await admin<any>(`mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { opportunity { id } } }`, {
          input: { name: 'After the drop', accountName: 'Reconnect Ltd', amount: { amount: '5000', currency: 'EUR' }, expectedCloseDate: '2027-06-30' },
        });
        return response.errors ? null : response.data.createOpportunity.opportunity.id;
      },
      { timeoutMs: 30_000, what: 'the API to answer after the drop' },
    );
    expectNoErrors(await move(admin, before, 'PROPOSAL'));
    await waitFor(
      async () =>
        (await sql('analytics', 'SELECT count(*)::int AS count FROM opportunity_fact WHERE opportunity_id = ANY($1::uuid[])', [[before, after]]))[0].count ===
        2,
      {
        timeoutMs: 60_000,
        what: 'analytics to receive changes made after the drop',
      },
    );
    await waitFor(async () => (await sql('analytics', `SELECT stage FROM opportunity_fact WHERE opportunity_id = $1`, [before]))[0]?.stage === 'PROPOSAL', {
      timeoutMs: 60_000,
      what: 'the move after the drop',
    });
  });
});
