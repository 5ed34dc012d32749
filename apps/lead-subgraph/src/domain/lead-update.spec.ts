import type { Lead } from './lead';
import { planLeadUpdate } from './lead-update';
import { planNewLead } from './new-lead';

const created = new Date('2026-11-01T10:00:00Z');
const now = new Date('2026-11-30T10:00:00Z');
const lead: Lead = {
  ...planNewLead({
    id: 'l-1',
    fields: {
      name: 'Grace Hopper',
      company: 'Hopper Labs',
      email: 'grace@hopper.example',
      phone: null,
      industry: null,
      region: null,
      source: 'OTHER',
      sourceDetail: null,
      estimatedValue: null,
      externalId: 'crm-1',
    },
    owner: { id: 'rep-1', teamId: 'north' },
    assignmentReason: 'Logged by its owner',
    model: null,
    now: created,
  }),
  version: 3,
  scoreOverride: 80,
  scoreOverrideReason: 'Met them',
};

describe('planLeadUpdate', () => {
  it('applies only what differs, moves the version by one and rescores from the corrected data', () => {
    // Act
    const plan = planLeadUpdate(
      lead,
      { name: 'Grace Hopper', industry: 'Software', estimatedValue: { amount: '50000.00', currency: 'EUR' }, source: 'REFERRAL' },
      { model: null, activityCount: 0, now },
    );

    // Assert
    expect(plan?.changed).toEqual(['industry', 'source', 'estimatedValue']);
    expect(plan?.next).toMatchObject({
      id: 'l-1',
      industry: 'Software',
      source: 'REFERRAL',
      version: 4,
      updatedAt: now,
      createdAt: created,
      ownerId: 'rep-1',
      scoreOverride: 80,
      externalId: 'crm-1',
    });
    expect(plan?.next.computedScore).toBeGreaterThan(lead.computedScore);
    expect(plan?.identityChanged).toBe(false);
  });

  it('says when name, company or email changed (the duplicate rule applies again), but not for case or spacing', () => {
    const context = { model: null, activityCount: 0, now };
    expect(planLeadUpdate(lead, { company: '  hopper   labs ' }, context)?.identityChanged).toBe(false);
    expect(planLeadUpdate(lead, { company: 'Hopper Industries' }, context)?.identityChanged).toBe(true);
    expect(planLeadUpdate(lead, { email: null }, context)?.identityChanged).toBe(true);
  });

  it('plans nothing when nothing differs', () => {
    expect(planLeadUpdate(lead, { name: 'Grace Hopper', phone: null }, { model: null, activityCount: 0, now })).toBeNull();
  });

  it('clears an optional field', () => {
    const plan = planLeadUpdate(lead, { email: null }, { model: null, activityCount: 0, now });
    expect(plan?.next.email).toBeNull();
    expect(plan?.changed).toEqual(['email']);
  });
});
