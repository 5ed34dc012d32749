import { emptyLine, lineItemInputs, proposalPreviewTotal } from './proposal-model';

describe('proposal form', () => {
  it('previews the total in whole cents and sends the typed lines as the API takes them', () => {
    const lines = [{ ...emptyLine(), description: ' Licences ', quantity: '4', unitPrice: '12000.25', discountPercent: '10' }];
    expect(proposalPreviewTotal(lines, 'EUR')).toBe('€43,200.90');
    expect(lineItemInputs(lines, 'EUR')).toEqual([
      { description: 'Licences', quantity: 4, unitPrice: { amount: '12000.25', currency: 'EUR' }, discountPercent: 10 },
    ]);
  });

  it('shows no preview while a price is not a plain amount', () => {
    expect(proposalPreviewTotal([{ ...emptyLine(), unitPrice: '12,000' }], 'EUR')).toBe('—');
  });
});
