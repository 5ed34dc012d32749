import { DomainError } from './errors';
import { addMoney, money, parseMoney, percentToDecimal, sumByCurrency } from './money';

const fieldOf = (action: () => unknown): string | undefined => {
  try {
    action();
  } catch (error) {
    return (error as DomainError).details.field as string;
  }
  return undefined;
};

describe('money', () => {
  it('normalises an amount to the currency minor unit and upper-cases the code', () => {
    expect(parseMoney({ amount: '12500.5', currency: 'eur' }, 'amount')).toEqual({ amount: '12500.50', currency: 'EUR' });
    expect(parseMoney({ amount: '1200', currency: 'JPY' }, 'amount')).toEqual({ amount: '1200', currency: 'JPY' });
    expect(parseMoney({ amount: '1.234', currency: 'BHD' }, 'amount')).toEqual({ amount: '1.234', currency: 'BHD' });
  });

  it.each([
    ['finer than the minor unit', { amount: '1.005', currency: 'EUR' }, 'price.amount'],
    ['a number instead of a string', { amount: 12.5, currency: 'EUR' }, 'price.amount'],
    ['exponent notation', { amount: '1e5', currency: 'EUR' }, 'price.amount'],
    ['NaN', { amount: 'NaN', currency: 'EUR' }, 'price.amount'],
    ['negative', { amount: '-1.00', currency: 'EUR' }, 'price.amount'],
    ['more than 15 integer digits', { amount: '1234567890123456', currency: 'EUR' }, 'price.amount'],
    ['an unknown currency', { amount: '1.00', currency: 'EUX' }, 'price.currency'],
    ['a currency that is not a code', { amount: '1.00', currency: 'euro' }, 'price.currency'],
  ])('refuses %s, naming the field', (_label, input, field) => {
    expect(fieldOf(() => parseMoney(input, 'price'))).toBe(field);
  });

  it('sums per currency and never mixes them', () => {
    const totals = sumByCurrency([money('0.10', 'EUR'), money('0.20', 'EUR'), money('5', 'USD'), money('1', 'EUR')]);
    expect(totals).toEqual([
      { amount: '1.30', currency: 'EUR' },
      { amount: '5.00', currency: 'USD' },
    ]);
    expect(() => addMoney(money('1', 'EUR'), money('1', 'USD'))).toThrow(/never mix currencies/);
  });

  it('reads percentages through their decimal text, so 12.5% and 33.33% stay exact', () => {
    expect(percentToDecimal(12.5, 'discount').toString()).toBe('12.5');
    expect(percentToDecimal(33.33, 'discount').toString()).toBe('33.33');
    expect(fieldOf(() => percentToDecimal(100.01, 'discount'))).toBe('discount');
    expect(fieldOf(() => percentToDecimal(Number.NaN, 'discount'))).toBe('discount');
    expect(fieldOf(() => percentToDecimal(1.23456, 'discount'))).toBe('discount');
  });
});
