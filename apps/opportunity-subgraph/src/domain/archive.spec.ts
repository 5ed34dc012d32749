import { planArchiveOpportunity, planRestoreOpportunity } from './archive';
import type { Opportunity } from './opportunity';

const created = new Date('2026-11-01T10:00:00Z');
const now = new Date('2026-11-30T10:00:00Z');
const opportunity: Opportunity = {
  id: 'o-1',
  name: 'Expansion',
  accountName: 'Initech',
  accountId: null,
  industry: 'Software',
  region: null,
  amount: { amount: '12000.00', currency: 'EUR' },
  pipelineId: 'p-1',
  stageKey: 'PROPOSAL',
  stageEnteredAt: created,
  status: 'OPEN',
  probabilityOverride: null,
  expectedCloseDate: '2027-01-31',
  ownerId: 'rep-1',
  ownerTeamId: 'north',
  leadId: null,
  leadSource: null,
  externalId: null,
  deferredUntil: null,
  archivedAt: null,
  archivedReason: null,
  lostReason: null,
  version: 4,
  stageSequence: 2,
  lastActivityAt: null,
  createdAt: created,
  updatedAt: created,
  closedAt: null,
};

describe('archiving an opportunity', () => {
  it('marks it archived with the reason and keeps stage, amount and everything else', () => {
    expect(planArchiveOpportunity(opportunity, 'Duplicate', now)).toEqual({
      ...opportunity,
      archivedAt: now,
      archivedReason: 'Duplicate',
      version: 5,
      updatedAt: now,
    });
  });

  it('restores it exactly, at a new version', () => {
    expect(planRestoreOpportunity(planArchiveOpportunity(opportunity, null, now), now)).toEqual({ ...opportunity, version: 6, updatedAt: now });
  });

  it('refuses to archive twice or restore what is not archived, with CONFLICT', () => {
    expect(() => planArchiveOpportunity(planArchiveOpportunity(opportunity, null, now), null, now)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(() => planRestoreOpportunity(opportunity, now)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });
});
