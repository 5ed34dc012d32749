import { chooseOwner, type RepLoad } from './assignment';
import type { SalesRep } from './sales-rep';

const rep = (id: string, overrides: Partial<SalesRep> = {}): SalesRep => ({
  id,
  name: id,
  email: `${id}@example.com`,
  role: 'REP',
  teamId: 't',
  regions: [],
  industries: [],
  capacity: 10,
  active: true,
  version: 1,
  lastAssignedAt: null,
  createdAt: new Date(),
  updatedAt: new Date(),
  ...overrides,
});
const load = (salesRep: SalesRep, openLeadCount = 0): RepLoad => ({ rep: salesRep, openLeadCount });
const lead = { region: 'DE', industry: 'Software' };

describe('assignment rules', () => {
  it('prefers region and industry together, then region, then industry expertise', () => {
    const regionOnly = load(rep('region', { regions: ['DE'] }));
    const industryOnly = load(rep('industry', { industries: ['software'] }));
    const both = load(rep('both', { regions: ['de'], industries: ['Software'] }));
    expect(chooseOwner(lead, [regionOnly, industryOnly, both]).ownerId).toBe('both');
    expect(chooseOwner(lead, [regionOnly, industryOnly]).ownerId).toBe('region');
    expect(chooseOwner(lead, [industryOnly]).ownerId).toBe('industry');
  });

  it('picks the most free capacity among matches and says why', () => {
    const busy = load(rep('busy', { regions: ['DE'], capacity: 10 }), 8);
    const free = load(rep('free', { regions: ['DE'], capacity: 5 }), 1);
    const decision = chooseOwner(lead, [busy, free]);
    expect(decision.ownerId).toBe('free');
    expect(decision.reason).toMatch(/covers region DE; most free capacity \(4 of 5\)/);
  });

  it('breaks ties round-robin: whoever was assigned least recently', () => {
    const recent = load(rep('recent', { regions: ['DE'], lastAssignedAt: new Date('2026-11-26T10:00:00Z') }));
    const earlier = load(rep('earlier', { regions: ['DE'], lastAssignedAt: new Date('2026-11-25T10:00:00Z') }));
    const decision = chooseOwner(lead, [recent, earlier]);
    expect(decision.ownerId).toBe('earlier');
    expect(decision.reason).toMatch(/round-robin among 2 tied reps/);
  });

  it('skips full, inactive and non-selling people and the excluded owner; nobody left means the fallback queue', () => {
    const full = load(rep('full', { regions: ['DE'], capacity: 2 }), 2);
    const inactive = load(rep('inactive', { regions: ['DE'], active: false }));
    const analyst = load(rep('analyst', { regions: ['DE'], role: 'ANALYST' }));
    const previous = load(rep('previous', { regions: ['DE'] }));
    const decision = chooseOwner(lead, [full, inactive, analyst, previous], 'previous');
    expect(decision).toEqual({ ownerId: null, reason: expect.stringMatching(/^Fallback queue/) });
  });
});
