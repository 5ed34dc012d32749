import { accuracyRows, biasWords, currenciesOf, forecastRows, hitWords, periodFilter, rateWords, reportCsvPath } from './health-model';

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

describe('forecast accuracy and gate friction in words', () => {
  it('says which way a forecast leaned and how often the actual fell in its P10–P90 range', () => {
    expect(biasWords(0.125)).toBe('+12.5% (over-forecast)');
    expect(biasWords(-0.08)).toBe('−8.0% (under-forecast)');
    expect(biasWords(0)).toBe('0.0% (on target)');
    expect(biasWords(null)).toBe('— (nothing won yet)');
    expect(hitWords([{ withinRange: true }, { withinRange: false }, { withinRange: true }])).toBe('67% (2 of 3 months)');
    expect(hitWords([])).toBe('—');
  });

  it('names each row by rep, team or company', () => {
    const rows = accuracyRows(
      [
        { level: 'REP' as const, key: 'r2', currency: 'USD' },
        { level: 'REP' as const, key: 'r1', currency: 'EUR' },
        { level: 'REP' as const, key: 'gone', currency: 'EUR' },
      ],
      new Map([
        ['r1', 'Rita Rep'],
        ['r2', 'Otto Rep'],
      ]),
    );
    expect(rows.map((row) => row.who)).toEqual(['gone', 'Otto Rep', 'Rita Rep']);
    expect(accuracyRows([{ level: 'TEAM' as const, key: 'north', currency: 'EUR' }], new Map())[0].who).toBe('Team north');
    expect(accuracyRows([{ level: 'COMPANY' as const, key: null, currency: 'EUR' }], new Map())[0].who).toBe('Company');
  });

  it('gives a win rate with its sample and interval, or says there is none yet', () => {
    expect(rateWords({ successes: 1, sample: 2, rate: 0.5, low: 0.0945, high: 0.9055 })).toBe('50.0% · 1 of 2 won · 95% interval 9–91%');
    expect(rateWords({ successes: 0, sample: 0, rate: null, low: null, high: null })).toBe('no closed deals yet');
  });
});
