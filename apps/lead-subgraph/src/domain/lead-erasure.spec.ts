import type { Lead } from './lead';
import { ERASED_NAME, planLeadErasure } from './lead-erasure';

const lead: Lead = {
  id: '3f0f4f7e-7c4b-4f55-9a53-0c7cf6a8f4a1',
  externalId: 'crm-17',
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  phone: '+44 20 7946 0000',
  company: 'Analytical Engines',
  industry: 'Software',
  region: 'EMEA',
  source: 'REFERRAL',
  sourceDetail: 'Met Ada at the fair',
  status: 'CONVERTED',
  computedScore: 70,
  scoreFactors: [],
  scoreMethod: 'RULES',
  scoreModelVersion: null,
  scoreOverride: 80,
  scoreOverrideReason: 'Ada is keen',
  ownerId: null,
  ownerTeamId: null,
  assignmentReason: null,
  assignedAt: null,
  estimatedValue: { amount: '1000.00', currency: 'EUR' },
  qualification: {
    budget: null,
    hasBudget: true,
    isDecisionMaker: true,
    need: 'Ada wants a difference engine',
    needConfirmed: true,
    expectedPurchaseDate: null,
    unmetCriteria: [],
    qualifiedAt: new Date('2026-11-01T00:00:00Z'),
    criteriaVersion: 1,
  },
  opportunityId: 'b5a4c0f2-2a43-4c59-9d0c-1f4b8f7f3c11',
  version: 7,
  lastActivityAt: null,
  archivedAt: null,
  archivedReason: null,
  mergedIntoLeadId: null,
  mergedAt: null,
  createdAt: new Date('2026-10-01T00:00:00Z'),
  updatedAt: new Date('2026-11-01T00:00:00Z'),
};

describe('planLeadErasure', () => {
  it('drops who the person is and the free text about them, keeps the business facts, and counts as a change', () => {
    // Arrange
    const now = new Date('2026-12-01T08:00:00Z');

    // Act
    const erased = planLeadErasure(lead, now);

    // Assert
    expect(erased).toEqual({
      ...lead,
      name: ERASED_NAME,
      email: null,
      phone: null,
      sourceDetail: null,
      scoreOverrideReason: null,
      qualification: { ...lead.qualification, need: null },
      version: 8,
      updatedAt: now,
    });
    expect(JSON.stringify(erased)).not.toMatch(/Ada|ada@example\.com|7946/);
  });
});
