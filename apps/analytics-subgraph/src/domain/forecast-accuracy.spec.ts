import { type ForecastOutcome, measureForecastAccuracy } from './forecast-accuracy';

const month = (index: number) => `2026-${String(index + 1).padStart(2, '0')}-01`;

describe('measureForecastAccuracy', () => {
  it('reports an optimistic forecaster: every month promised 25% more than was won', () => {
    // Arrange: p50 = 125, actual = 100 in each of 6 months; actual inside the range in none of them (p10 = 110)
    const history: ForecastOutcome[] = Array.from({ length: 6 }, (_, index) => ({ month: month(index), p10: '110', p50: '125', p90: '140', actual: '100' }));

    // Act
    const stats = measureForecastAccuracy(history);

    // Assert
    expect(stats).toEqual({ periods: 6, meanAbsoluteError: '25', weightedAbsolutePercentageError: 0.25, bias: 0.25, withinRangeRate: 0 });
  });

  it('reports a pessimistic, calibrated forecaster: bias negative, 8 of 10 actuals inside P10-P90', () => {
    // Arrange: actual = p50 + 10 in every month (p50 100): bias -10/110; two months fall outside the range
    const history: ForecastOutcome[] = Array.from({ length: 10 }, (_, index) => ({
      month: month(index),
      p10: index < 2 ? '50' : '80',
      p50: '100',
      p90: index < 2 ? '105' : '130',
      actual: '110',
    }));

    // Act
    const stats = measureForecastAccuracy(history);

    // Assert
    expect(stats.periods).toBe(10);
    expect(stats.meanAbsoluteError).toBe('10');
    expect(stats.bias).toBeCloseTo(-10 / 110, 12);
    expect(stats.weightedAbsolutePercentageError).toBeCloseTo(10 / 110, 12);
    expect(stats.withinRangeRate).toBe(0.8);
  });

  it('weights errors by what was won, so over- and under-forecasts cancel in bias but not in error', () => {
    // Arrange: one month 50 over, one month 50 under, 200 won in total
    const history: ForecastOutcome[] = [
      { month: month(0), p10: '0', p50: '150', p90: '300', actual: '100' },
      { month: month(1), p10: '0', p50: '50', p90: '300', actual: '100' },
    ];

    // Act
    const stats = measureForecastAccuracy(history);

    // Assert
    expect(stats.bias).toBe(0);
    expect(stats.weightedAbsolutePercentageError).toBe(0.5);
    expect(stats.meanAbsoluteError).toBe('50');
    expect(stats.withinRangeRate).toBe(1);
  });

  it('keeps exact decimals for money and has no ratio when nothing was won', () => {
    // Arrange: cents that floats would not add exactly; nothing won in either month
    const history: ForecastOutcome[] = [
      { month: month(0), p10: '0', p50: '0.10', p90: '1', actual: '0' },
      { month: month(1), p10: '0', p50: '0.20', p90: '1', actual: '0' },
    ];

    // Act
    const stats = measureForecastAccuracy(history);

    // Assert
    expect(stats.meanAbsoluteError).toBe('0.15');
    expect(stats.bias).toBeNull();
    expect(stats.weightedAbsolutePercentageError).toBeNull();
    expect(stats.withinRangeRate).toBe(1);
  });

  it('has no statistics for a forecaster without closed periods', () => {
    expect(measureForecastAccuracy([])).toEqual({
      periods: 0,
      meanAbsoluteError: '0',
      weightedAbsolutePercentageError: null,
      bias: null,
      withinRangeRate: null,
    });
  });
});
