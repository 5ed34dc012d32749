import { canRead, canWrite, visibilityOf, type Actor } from './identity';

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
