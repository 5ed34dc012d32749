import { count, formatAgo, formatDays, formatMoney, formatMoneyList, formatPercent } from './format';

describe('formatting for people', () => {
  it('formats decimal strings exactly, beyond what a float holds', () => {
    expect(formatMoney({ amount: '43200.90', currency: 'EUR' })).toBe('€43,200.90');
    expect(formatMoney({ amount: '12345678901234567.89', currency: 'USD' })).toBe('US$12,345,678,901,234,567.89');
    expect(formatMoney(null)).toBe('—');
  });

  it('lists one amount per currency and never adds them up', () => {
    expect(
      formatMoneyList([
        { amount: '100', currency: 'EUR' },
        { amount: '50.5', currency: 'USD' },
      ]),
    ).toBe('€100.00 · US$50.50');
    expect(formatMoneyList([])).toBe('—');
  });

  it('shows rates as percentages with one decimal, and no value as a dash', () => {
    expect(formatPercent(0.5)).toBe('50.0%');
    expect(formatPercent(1 / 3)).toBe('33.3%');
    expect(formatPercent(null)).toBe('—');
  });

  it('says how long ago in days, and days in a stage with a decimal while short', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    expect(formatAgo('2026-12-01T08:00:00Z', now)).toBe('today');
    expect(formatAgo('2026-11-30T08:00:00Z', now)).toBe('yesterday');
    expect(formatAgo('2026-11-21T12:00:00Z', now)).toBe('10 days ago');
    expect(formatAgo(null, now)).toBe('never');
    expect(formatDays(2.44)).toBe('2.4 d');
    expect(formatDays(31.6)).toBe('32 d');
  });

  it('counts in the singular for one', () => {
    expect([
      count(1, 'lead'),
      count(2, 'lead'),
      count(1, 'open opportunity', 'open opportunities'),
      count(0, 'open opportunity', 'open opportunities'),
    ]).toEqual(['1 lead', '2 leads', '1 open opportunity', '0 open opportunities']);
  });
});
