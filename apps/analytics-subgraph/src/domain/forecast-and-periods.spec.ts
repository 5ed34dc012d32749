import { simulateRevenue } from './forecast';
import { bucketStart, periods } from './periods';

describe('forecast simulation', () => {
  it('is reproducible and brackets the expected value', () => {
    // Arrange: 100 deals of 1000 EUR, each won with probability 0.3, closing in one month
    const deals = Array.from({ length: 100 }, () => ({ amount: '1000.00', currency: 'EUR', winProbability: 0.3, closeMonth: '2027-01-01' }));

    // Act
    const first = simulateRevenue(deals, 2_000);
    const second = simulateRevenue(deals, 2_000);

    // Assert
    expect(first).toEqual(second);
    const [range] = first;
    expect(range.month).toBe('2027-01-01');
    expect(Number(range.p10)).toBeLessThan(30_000);
    expect(Number(range.p90)).toBeGreaterThan(30_000);
    expect(Math.abs(Number(range.p50) - 30_000)).toBeLessThanOrEqual(2_000);
  });

  it('gives certain deals their full amount and impossible ones nothing', () => {
    const ranges = simulateRevenue(
      [
        { amount: '500.00', currency: 'USD', winProbability: 1, closeMonth: '2027-02-01' },
        { amount: '900.00', currency: 'USD', winProbability: 0, closeMonth: '2027-02-01' },
      ],
      200,
    );
    expect(ranges).toEqual([{ month: '2027-02-01', currency: 'USD', p10: '500.00', p50: '500.00', p90: '500.00' }]);
  });
});

describe('calendar buckets', () => {
  it('starts ISO weeks on Monday and quarters in January, April, July, October', () => {
    expect(bucketStart(new Date('2026-11-26T15:00:00Z'), 'WEEK').toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(bucketStart(new Date('2026-11-26T15:00:00Z'), 'QUARTER').toISOString()).toBe('2026-10-01T00:00:00.000Z');
  });

  it('covers a period with consecutive buckets', () => {
    const months = periods(new Date('2026-01-15T00:00:00Z'), new Date('2026-04-02T00:00:00Z'), 'MONTH');
    expect(months.map((period) => period.start.toISOString().slice(0, 10))).toEqual(['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01']);
    expect(months.every((period, index) => index === 0 || period.start.getTime() === months[index - 1].end.getTime())).toBe(true);
  });
});
