import type { OpportunitySnapshot } from '@pipeline/events';

import { previousValues } from './opportunity-events';

const before: OpportunitySnapshot = {
  name: 'Expansion',
  accountName: 'Initech',
  industry: 'Software',
  amount: { amount: '12000.00', currency: 'EUR' },
  probability: 0.4,
  ownerId: 'rep-1',
  leadId: null,
  leadSource: null,
  expectedCloseDate: '2027-01-31',
  createdAt: '2026-11-01T08:00:00.000Z',
  status: 'OPEN',
  ownerTeamId: 'north',
  region: 'DE',
};

describe('previousValues (field history on opportunity.updated)', () => {
  it('carries the earlier value of each changed field and nothing else', () => {
    // Arrange: a slip (close date pushed out), an amount cut and a new owner
    const after = { ...before, amount: { amount: '9000.00', currency: 'EUR' }, expectedCloseDate: '2027-03-31', ownerId: 'rep-2', ownerTeamId: 'south' };

    // Act
    const previous = previousValues(before, after);

    // Assert
    expect(previous).toEqual({ amount: { amount: '12000.00', currency: 'EUR' }, expectedCloseDate: '2027-01-31', ownerId: 'rep-1', ownerTeamId: 'north' });
  });

  it('says null for a field that was empty before, and is empty when nothing tracked changed', () => {
    expect(previousValues({ ...before, expectedCloseDate: null }, before)).toEqual({ expectedCloseDate: null });
    expect(previousValues(before, { ...before, leadId: 'lead-1' })).toEqual({});
  });
});
