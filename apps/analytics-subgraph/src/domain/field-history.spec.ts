import { describeFieldChange } from './field-history';

describe('describeFieldChange', () => {
  it('measures a close date slip in days, positive when pushed later', () => {
    expect(describeFieldChange('expectedCloseDate', '2027-01-31', '2027-03-02')).toMatchObject({
      field: 'EXPECTED_CLOSE_DATE',
      previousValue: '2027-01-31',
      newValue: '2027-03-02',
      daysSlipped: 30,
    });
    expect(describeFieldChange('expectedCloseDate', '2027-03-02', '2027-02-28')?.daysSlipped).toBe(-2);
    expect(describeFieldChange('expectedCloseDate', null, '2027-02-28')?.daysSlipped).toBeNull();
  });

  it('keeps money whole beside its text, and leaves unknown fields out', () => {
    expect(describeFieldChange('amount', { amount: '12000.00', currency: 'EUR' }, { amount: '9000.00', currency: 'EUR' })).toEqual({
      field: 'AMOUNT',
      previousValue: '12000.00 EUR',
      newValue: '9000.00 EUR',
      previousAmount: { amount: '12000.00', currency: 'EUR' },
      newAmount: { amount: '9000.00', currency: 'EUR' },
      daysSlipped: null,
    });
    expect(describeFieldChange('ownerId', 'rep-1', null)).toMatchObject({ field: 'OWNER_ID', previousValue: 'rep-1', newValue: null });
    expect(describeFieldChange('deferredUntil', null, '2027-01-01')).toBeNull();
  });
});
