import fc from 'fast-check';

import { type Actor, canRead, canWrite, type Role, ROLES, visibilityOf } from './identity';

const rep: Actor = { userId: 'rep-1', roles: ['REP'], teamId: 'north' };
const manager: Actor = { userId: 'manager-1', roles: ['MANAGER'], teamId: 'north' };
const otherManager: Actor = { userId: 'manager-2', roles: ['MANAGER'], teamId: 'south' };
const analyst: Actor = { userId: 'analyst-1', roles: ['ANALYST'], teamId: null };
const admin: Actor = { userId: 'admin-1', roles: ['ADMIN'], teamId: null };

const own = { ownerId: 'rep-1', ownerTeamId: 'north' };
const teammate = { ownerId: 'rep-2', ownerTeamId: 'north' };
const stranger = { ownerId: 'rep-3', ownerTeamId: 'south' };
const unassigned = { ownerId: null, ownerTeamId: null };

describe('row-level visibility', () => {
  it.each([
    ['rep', rep, [true, false, false, false], [true, false, false, false]],
    ['manager', manager, [true, true, false, true], [true, true, false, true]],
    ['manager of another team', otherManager, [false, false, true, true], [false, false, true, true]],
    ['analyst', analyst, [true, true, true, true], [false, false, false, false]],
    ['admin', admin, [true, true, true, true], [true, true, true, true]],
    ['rep who is also an analyst', { ...rep, roles: ['REP', 'ANALYST'] } as Actor, [true, true, true, true], [true, false, false, false]],
    [
      'manager of another team who is also an analyst',
      { ...otherManager, roles: ['MANAGER', 'ANALYST'] } as Actor,
      [true, true, true, true],
      [false, false, true, true],
    ],
  ])('a %s reads and changes exactly what the rules allow (own, teammate, stranger, unassigned)', (_label, actor, reads, writes) => {
    const records = [own, teammate, stranger, unassigned];
    expect(records.map((record) => canRead(actor, record))).toEqual(reads);
    expect(records.map((record) => canWrite(actor, record))).toEqual(writes);
  });

  it('describes the same rules as a visibility for SQL filters', () => {
    expect(visibilityOf(rep)).toEqual({ kind: 'own', userId: 'rep-1' });
    expect(visibilityOf(manager)).toEqual({ kind: 'team', userId: 'manager-1', teamId: 'north' });
    expect(visibilityOf(analyst)).toEqual({ kind: 'all' });
  });
});

describe('combined roles', () => {
  const actors = fc.record({
    userId: fc.constantFrom('rep-1', 'rep-2', 'rep-3', 'manager-1'),
    roles: fc.subarray([...ROLES] as Role[], { minLength: 1 }),
    teamId: fc.constantFrom('north', 'south', null),
  });
  const records = fc.record({ ownerId: fc.constantFrom('rep-1', 'rep-2', 'rep-3', 'manager-1', null), ownerTeamId: fc.constantFrom('north', 'south', null) });

  it('ANALYST never adds write permission, and nobody changes what they cannot read', () => {
    fc.assert(
      fc.property(actors, records, (actor, record) => {
        const withoutAnalyst = { ...actor, roles: actor.roles.filter((role) => role !== 'ANALYST') };
        expect(canWrite(actor, record)).toBe(withoutAnalyst.roles.length > 0 && canWrite(withoutAnalyst, record));
        if (canWrite(actor, record)) expect(canRead(actor, record)).toBe(true);
      }),
    );
  });
});
