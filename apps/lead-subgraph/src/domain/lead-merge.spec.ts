import type { Lead } from './lead';
import { planLeadMerge } from './lead-merge';
import { planNewLead } from './new-lead';

const created = new Date('2026-11-01T10:00:00Z');
const now = new Date('2026-11-30T10:00:00Z');
const context = { model: null, activityCount: 3, now };
const lead = (id: string, overrides: Partial<Lead> = {}): Lead => ({
  ...planNewLead({
    id,
    fields: {
      name: 'Grace Hopper',
      company: 'Hopper Labs',
      email: null,
      phone: null,
      industry: null,
      region: null,
      source: 'REFERRAL',
      sourceDetail: null,
      estimatedValue: null,
      externalId: null,
    },
    owner: { id: 'rep-1', teamId: 'north' },
    assignmentReason: null,
    model: null,
    now: created,
  }),
  ...overrides,
});

describe('planLeadMerge', () => {
  it("fills the winner's empty fields from the duplicate, keeps its own, and points the duplicate to it, archived", () => {
    // Arrange
    const winner = lead('w', { email: 'grace@hopper.example', version: 2, lastActivityAt: new Date('2026-11-10T00:00:00Z') });
    const loser = lead('l', {
      email: 'other@hopper.example',
      phone: '+1 555 0100',
      industry: 'Software',
      version: 5,
      lastActivityAt: new Date('2026-11-20T00:00:00Z'),
    });

    // Act
    const plan = planLeadMerge(winner, loser, context);

    // Assert
    expect(plan.filled).toEqual(['phone', 'industry']);
    expect(plan.winner).toMatchObject({
      id: 'w',
      email: 'grace@hopper.example',
      phone: '+1 555 0100',
      industry: 'Software',
      version: 3,
      lastActivityAt: loser.lastActivityAt,
      updatedAt: now,
    });
    expect(plan.winner.computedScore).toBeGreaterThan(winner.computedScore);
    expect(plan.loser).toEqual({
      ...loser,
      mergedIntoLeadId: 'w',
      mergedAt: now,
      archivedAt: now,
      archivedReason: 'Merged into lead w',
      version: 6,
      updatedAt: now,
    });
  });

  it('refuses a merge into itself, of a converted duplicate, and of merged or archived leads', () => {
    const code = (run: () => unknown) => {
      try {
        run();
        return null;
      } catch (error) {
        return (error as { code: string }).code;
      }
    };
    expect(code(() => planLeadMerge(lead('a'), lead('a'), context))).toBe('BAD_USER_INPUT');
    expect(code(() => planLeadMerge(lead('a'), lead('b', { status: 'CONVERTED' }), context))).toBe('CONFLICT');
    expect(code(() => planLeadMerge(lead('a', { mergedIntoLeadId: 'c' }), lead('b'), context))).toBe('CONFLICT');
    expect(code(() => planLeadMerge(lead('a'), lead('b', { archivedAt: now }), context))).toBe('CONFLICT');
  });
});
