import { priceLineItems } from './proposal';

const line = (quantity: number, amount: string, discountPercent?: number, currency = 'EUR') => ({
  description: 'Item',
  quantity,
  unitPrice: { amount, currency },
  discountPercent,
});

describe('proposal pricing in exact decimals', () => {
  it('adds up to the cent where floats would not (0.1 + 0.2)', () => {
    const priced = priceLineItems([line(1, '0.10'), line(1, '0.20')]);
    expect(priced.total).toEqual({ amount: '0.30', currency: 'EUR' });
  });

  it('rounds each line half-up to the minor unit once, and totals the rounded lines', () => {
    // 3 x 3.3333 = 9.9999 -> 10.00; 1 x 0.005 -> 0.01 (half-up)
    const priced = priceLineItems([line(3, '3.3333'), line(1, '0.005')]);
    expect(priced.lineItems.map((item) => item.total.amount)).toEqual(['10.00', '0.01']);
    expect(priced.total.amount).toBe('10.01');
  });

  it('handles 0% and 100% discounts', () => {
    const priced = priceLineItems([line(2, '49.99', 0), line(5, '10.00', 100)]);
    expect(priced.lineItems.map((item) => item.total.amount)).toEqual(['99.98', '0.00']);
    expect(priced.subtotal.amount).toBe('149.98');
    expect(priced.total.amount).toBe('99.98');
  });

  it('applies fractional discounts exactly (12.5% of 80.00 is 10.00)', () => {
    expect(priceLineItems([line(1, '80.00', 12.5)]).total.amount).toBe('70.00');
    expect(priceLineItems([line(3, '19.99', 33.33)]).total.amount).toBe('39.98');
  });

  it('stays exact for large quantities and prices (no float overflow of precision)', () => {
    const priced = priceLineItems([line(1_000_000_000, '999999999999.9999')]);
    expect(priced.total.amount).toBe('999999999999999900000.00');
  });

  it('uses the currency minor unit: JPY has none', () => {
    expect(priceLineItems([line(3, '333', 10, 'JPY')]).total).toEqual({ amount: '899', currency: 'JPY' });
  });

  it.each([
    ['mixed currencies', [line(1, '1.00', 0, 'EUR'), line(1, '1.00', 0, 'USD')], 'lineItems[1].unitPrice.currency'],
    ['a fractional quantity', [line(1.5, '1.00')], 'lineItems[0].quantity'],
    ['a zero quantity', [line(0, '1.00')], 'lineItems[0].quantity'],
    ['a negative price', [line(1, '-1.00')], 'lineItems[0].unitPrice.amount'],
    ['a discount over 100%', [line(1, '1.00', 101)], 'lineItems[0].discountPercent'],
    ['no lines', [], 'lineItems'],
  ])('refuses %s, naming the field', (_label, lines, field) => {
    expect(() => priceLineItems(lines)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', details: expect.objectContaining({ field }) }));
  });
});
