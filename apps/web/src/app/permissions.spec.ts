import type { Identity } from './identity';
import { canAssignLeads, canAssignTasks, canDecideDiscount, canReopenDeals, canWork, canWorkTask, forecastLevels, seesManagerScreen } from './permissions';

const person = (roles: Identity['roles'], userId = 'me', teamId: string | null = 'north'): Identity => ({
  userId,
  name: userId,
  roles,
  teamId,
  expiresAt: Date.now() + 60_000,
});
const own = { ownerId: 'me', ownerTeamId: 'north' };
const teammate = { ownerId: 'otto', ownerTeamId: 'north' };
const otherTeam = { ownerId: 'sam', ownerTeamId: 'south' };

describe('what the UI offers each role', () => {
  it('lets a rep work only their own records', () => {
    expect([canWork(person(['REP']), own), canWork(person(['REP']), teammate), canWork(person(['REP']), otherTeam)]).toEqual([true, false, false]);
  });

  it("lets a manager work the team's and unassigned records, not another team's", () => {
    const manager = person(['MANAGER'], 'mona');
    expect([canWork(manager, teammate), canWork(manager, { ownerId: null, ownerTeamId: null }), canWork(manager, otherTeam)]).toEqual([true, true, false]);
  });

  it('lets an analyst change nothing, and a rep who is also an analyst only their own', () => {
    expect(canWork(person(['ANALYST']), own)).toBe(false);
    expect([canWork(person(['REP', 'ANALYST']), own), canWork(person(['REP', 'ANALYST']), otherTeam)]).toEqual([true, false]);
  });

  it("keeps discount decisions with the owner's team manager (never on their own deal) and admins", () => {
    const manager = person(['MANAGER'], 'mona');
    expect(canDecideDiscount(manager, teammate)).toBe(true);
    expect(canDecideDiscount(manager, { ownerId: 'mona', ownerTeamId: 'north' })).toBe(false);
    expect(canDecideDiscount(manager, otherTeam)).toBe(false);
    expect(canDecideDiscount(person(['REP']), own)).toBe(false);
    expect(canDecideDiscount(person(['ADMIN'], 'root', null), otherTeam)).toBe(true);
  });

  it('gives assignment, reopening and the manager screen to managers and admins only', () => {
    expect([canAssignLeads(person(['REP'])), canAssignLeads(person(['MANAGER'])), canAssignLeads(person(['ADMIN']))]).toEqual([false, true, true]);
    expect([canReopenDeals(person(['REP']), own), canReopenDeals(person(['MANAGER'], 'mona'), teammate)]).toEqual([false, true]);
    expect([seesManagerScreen(person(['ANALYST'])), seesManagerScreen(person(['MANAGER']))]).toEqual([false, true]);
  });

  it('lets tasks be changed by their assignee, the assignee’s manager and admins; analysts only read them', () => {
    const rita = { id: 'me', teamId: 'north' };
    const otto = { id: 'otto', teamId: 'north' };
    const sam = { id: 'sam', teamId: 'south' };
    expect([canWorkTask(person(['REP']), rita), canWorkTask(person(['REP']), otto)]).toEqual([true, false]);
    expect([canWorkTask(person(['MANAGER'], 'mona'), otto), canWorkTask(person(['MANAGER'], 'mona'), sam)]).toEqual([true, false]);
    expect([canWorkTask(person(['ANALYST']), rita), canWorkTask(person(['ADMIN'], 'root', null), sam)]).toEqual([false, true]);
    expect([canAssignTasks(person(['REP'])), canAssignTasks(person(['MANAGER'])), canAssignTasks(person(['ANALYST']))]).toEqual([false, true, false]);
  });

  it('offers the forecast accuracy levels the graph allows each role', () => {
    expect(forecastLevels(person(['REP']))).toEqual(['REP']);
    expect(forecastLevels(person(['MANAGER'], 'mona'))).toEqual(['REP', 'TEAM']);
    expect(forecastLevels(person(['MANAGER'], 'mona', null))).toEqual(['REP']);
    expect(forecastLevels(person(['ANALYST']))).toEqual(['REP', 'TEAM', 'COMPANY']);
  });
});
