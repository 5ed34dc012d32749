import { planArchiveLead, planRestoreLead } from './lead-archive';
import { planNewLead } from './new-lead';

const created = new Date('2026-11-01T10:00:00Z');
const now = new Date('2026-11-30T10:00:00Z');
const lead = planNewLead({
  id: 'l-1',
  fields: {
    name: 'Grace Hopper',
    company: 'Hopper Labs',
    email: null,
    phone: null,
    industry: 'Software',
    region: null,
    source: 'REFERRAL',
    sourceDetail: null,
    estimatedValue: null,
    externalId: null,
  },
  owner: null,
  assignmentReason: null,
  model: null,
  now: created,
});

describe('archiving a lead', () => {
  it('marks it archived with the reason, keeps every other field, and moves the version', () => {
    // Act
    const archived = planArchiveLead(lead, 'Spam', now);

    // Assert
    expect(archived).toEqual({ ...lead, archivedAt: now, archivedReason: 'Spam', version: 2, updatedAt: now });
  });

  it('restores it to what it was, at a new version', () => {
    // Act
    const restored = planRestoreLead(planArchiveLead(lead, 'Spam', now), now);

    // Assert
    expect(restored).toEqual({ ...lead, version: 3, updatedAt: now });
  });

  it('refuses to archive twice or restore what is not archived, with CONFLICT', () => {
    expect(() => planArchiveLead(planArchiveLead(lead, null, now), null, now)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(() => planRestoreLead(lead, now)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });
});
