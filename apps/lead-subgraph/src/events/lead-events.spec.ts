import { EVENT_TYPES } from '@pipeline/events';

import type { Lead } from '../domain/lead';
import { ERASED_NAME } from '../domain/lead-erasure';
import { leadEvent } from './lead-events';

const qualification = {
  budget: null,
  hasBudget: true,
  isDecisionMaker: true,
  need: 'Ada wants a difference engine',
  needConfirmed: true,
  expectedPurchaseDate: null,
  unmetCriteria: [],
  qualifiedAt: new Date('2026-11-01T00:00:00Z'),
  criteriaVersion: 1,
};

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
  qualification,
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

describe('leadEvent', () => {
  it('publishes the stated need and an archive reason with the person replaced, and seals what was typed with the rest of the person', () => {
    // Arrange
    const archived = { ...lead, archivedAt: new Date('2026-12-01T08:00:00Z'), archivedReason: 'ada@example.com asked us to stop' };

    // Act
    const entry = leadEvent(
      EVENT_TYPES.leadArchived,
      archived,
      { reason: archived.archivedReason, archivedBy: null, archivedAt: '2026-12-01T08:00:00.000Z' },
      new Date('2026-12-01T08:00:00Z'),
    );

    // Assert
    const data = entry.event.data as { lead: { need: string | null; name: string }; reason: string | null };
    expect([data.lead.name, data.lead.need, data.reason]).toEqual(['', '[person] wants a difference engine', '[person] asked us to stop']);
    expect(entry.personal).toEqual({
      subjectId: lead.id,
      path: ['lead'],
      fields: {
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        phone: '+44 20 7946 0000',
        sourceDetail: 'Met Ada at the fair',
        need: 'Ada wants a difference engine',
        reason: 'ada@example.com asked us to stop',
      },
    });
  });

  it('leaves text that names no one as it is, and adds nothing to the sealed fields', () => {
    // Arrange
    const plain = { ...lead, qualification: { ...qualification, need: 'Adam wants a faster engine' } };

    // Act
    const entry = leadEvent(EVENT_TYPES.leadUpdated, plain, { changes: ['need'] }, new Date('2026-12-01T08:00:00Z'));

    // Assert
    expect((entry.event.data as { lead: { need: string } }).lead.need).toBe('Adam wants a faster engine');
    expect(Object.keys(entry.personal?.fields ?? {})).toEqual(['name', 'email', 'phone', 'sourceDetail']);
  });

  it('recognises no one in the text of an erased lead', () => {
    // Arrange
    const erased = { ...lead, name: ERASED_NAME, email: null, phone: null, qualification: { ...qualification, need: 'One person to ask' } };

    // Act
    const entry = leadEvent(EVENT_TYPES.leadUpdated, erased, { changes: [] }, new Date('2026-12-01T08:00:00Z'));

    // Assert
    expect((entry.event.data as { lead: { need: string } }).lead.need).toBe('One person to ask');
  });
});
