import { randomBytes } from 'node:crypto';

import { type Actor, canRead, type Role, ROLES, visibilityOf } from '@pipeline/domain';
import fc from 'fast-check';
import { Client } from 'pg';

import { dropDatabase, ensureDatabase, withDatabase } from './database-admin';
import { visibilityCondition } from './visibility-sql';

const REPS = [
  { id: '00000000-0000-4000-8000-00000000000a', teamId: 'north' },
  { id: '00000000-0000-4000-8000-00000000000b', teamId: 'north' },
  { id: '00000000-0000-4000-8000-00000000000c', teamId: 'south' },
  { id: '00000000-0000-4000-8000-00000000000d', teamId: null },
];

// The SQL every service filters lists, counts and aggregates with must select exactly the records canRead allows.
describe('visibility as SQL', () => {
  // The test library builds on this one, so the database is made here directly (the Jest global setup set the server).
  const url = withDatabase(process.env.TEST_DATABASE_URL ?? '', `t_visibility_sql_${randomBytes(4).toString('hex')}`);
  let client: Client;

  beforeAll(async () => {
    await ensureDatabase(url);
    client = new Client({ connectionString: url });
    await client.connect();
    await client.query('CREATE TABLE rep (id uuid PRIMARY KEY, team_id text)');
    await client.query('CREATE TABLE record (id int PRIMARY KEY, owner_id uuid)');
    for (const rep of REPS) await client.query('INSERT INTO rep VALUES ($1, $2)', [rep.id, rep.teamId]);
    // Every owner once, and an unassigned record.
    for (const [index, owner] of [...REPS.map((rep) => rep.id), null].entries()) await client.query('INSERT INTO record VALUES ($1, $2)', [index, owner]);
  });

  afterAll(async () => {
    await client.end();
    await dropDatabase(url);
  });

  it('selects exactly what canRead allows, for every role combination, team and kind of caller id', async () => {
    const actors = fc.record({
      userId: fc.constantFrom(...REPS.map((rep) => rep.id), 'system', 'not-a-uuid', "x' OR true --"),
      roles: fc.subarray([...ROLES] as Role[], { minLength: 1 }),
      teamId: fc.constantFrom('north', 'south', null, "' OR '1'='1"),
    });
    await fc.assert(
      fc.asyncProperty(actors, async (actor: Actor) => {
        // Arrange
        const values: unknown[] = [];
        const condition = visibilityCondition(
          visibilityOf(actor),
          { owner: 'record.owner_id', teamMembers: (team) => `SELECT id FROM rep WHERE team_id = ${team}` },
          (value) => {
            values.push(value);
            return `$${values.length}`;
          },
        );

        // Act
        const { rows } = await client.query(`SELECT record.id FROM record WHERE ${condition} ORDER BY record.id`, values);

        // Assert
        const expected = [...REPS.map((rep) => ({ ownerId: rep.id, ownerTeamId: rep.teamId })), { ownerId: null, ownerTeamId: null }]
          .map((record, index) => (canRead(actor, record) ? index : null))
          .filter((index) => index !== null);
        expect(rows.map((row) => row.id)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
