import type { LeadFields } from './lead';
import { planNewLead } from './new-lead';
import { features, trainNaiveBayes } from './scoring';

const fields: LeadFields = {
  name: 'Grace Hopper',
  company: 'Hopper Labs',
  email: 'grace@hopper.example',
  phone: null,
  industry: 'Software',
  region: 'DE',
  source: 'REFERRAL',
  sourceDetail: 'Board member',
  estimatedValue: { amount: '12000.00', currency: 'EUR' },
  externalId: 'crm-1',
};
const now = new Date('2026-11-30T10:00:00Z');

describe('planNewLead', () => {
  it('makes a NEW, owned lead at version 1, assigned now, scored by the rules without a model', () => {
    // Act
    const lead = planNewLead({ id: 'l-1', fields, owner: { id: 'rep-1', teamId: 'north' }, assignmentReason: 'Logged by its owner', model: null, now });

    // Assert
    expect(lead).toMatchObject({
      id: 'l-1',
      ...fields,
      status: 'NEW',
      version: 1,
      ownerId: 'rep-1',
      ownerTeamId: 'north',
      assignmentReason: 'Logged by its owner',
      assignedAt: now,
      createdAt: now,
      scoreMethod: 'RULES',
      scoreModelVersion: null,
      scoreOverride: null,
    });
    expect(lead.computedScore).toBeGreaterThan(0);
    expect(lead.scoreFactors.map((factor) => factor.factor)).toContain('SOURCE');
  });

  it('leaves an unowned lead unassigned and scores it with the model in force', () => {
    // Arrange: a model that has seen referrals convert
    const input = {
      source: fields.source,
      industry: fields.industry,
      region: fields.region,
      email: fields.email,
      phone: null,
      estimatedValue: fields.estimatedValue,
      status: 'NEW' as const,
      activityCount: 0,
      lastActivityAt: null,
    };
    const model = trainNaiveBayes([
      { id: 'a', features: features(input), converted: true },
      { id: 'b', features: { ...features(input), source: 'OTHER' }, converted: false },
    ]);

    // Act
    const lead = planNewLead({ id: 'l-2', fields, owner: null, assignmentReason: null, model: { version: 3, model }, now });

    // Assert
    expect({ ownerId: lead.ownerId, ownerTeamId: lead.ownerTeamId, assignedAt: lead.assignedAt }).toEqual({
      ownerId: null,
      ownerTeamId: null,
      assignedAt: null,
    });
    expect({ method: lead.scoreMethod, version: lead.scoreModelVersion }).toEqual({ method: 'MODEL', version: 3 });
  });
});
