import { currenciesOf, forecastRows, periodFilter, reportCsvPath } from './health-model';

const ranges = [
  { month: '2027-02-01', currency: 'EUR', p10: '1000.00', p50: '5000.50', p90: '9000.00' },
  { month: '2027-01-01', currency: 'EUR', p10: '0.00', p50: '2000.00', p90: '4000.00' },
  { month: '2027-01-01', currency: 'USD', p10: '10.00', p50: '20.00', p90: '30.00' },
];

describe('health view logic', () => {
  it('orders forecast months for one currency and sets the median against the target', () => {
    const rows = forecastRows(ranges, 'EUR', 3000);
    expect(rows.map((row) => [row.month, row.p50, row.band, row.gap])).toEqual([
      ['2027-01-01', '2000.00', [0, 4000], -1000],
      ['2027-02-01', '5000.50', [1000, 9000], 2000.5],
    ]);
    expect(forecastRows(ranges, 'EUR', null)[0].gap).toBeNull();
    expect(currenciesOf(ranges)).toEqual(['EUR', 'USD']);
  });

  it('turns a period into the filter the API takes, and the CSV export path with it', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    expect(periodFilter('30', now)).toEqual({ from: '2026-11-01T00:00:00.000Z' });
    expect(periodFilter('all', now)).toEqual({});
    expect(reportCsvPath('INDUSTRY', { from: '2026-11-01T00:00:00.000Z' })).toBe('/exports/reports/industry.csv?from=2026-11-01T00%3A00%3A00.000Z');
    expect(reportCsvPath('REP', {})).toBe('/exports/reports/rep.csv');
  });
});
