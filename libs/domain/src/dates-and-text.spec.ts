import { addDays, parseDate, parseDateTime } from './dates';
import { median, percentile } from './stats';
import { neutralizeFormula, parseEmail, parseStringList, parseText } from './text';

describe('dates', () => {
  it('accepts real calendar dates only', () => {
    expect(parseDate('2028-02-29', 'd')).toBe('2028-02-29');
    expect(() => parseDate('2027-02-29', 'd')).toThrow(/real calendar date/);
    expect(() => parseDate('2027-13-01', 'd')).toThrow();
    expect(() => parseDate('27-01-01', 'd')).toThrow(/YYYY-MM-DD/);
  });

  it('needs an explicit offset on date-times', () => {
    expect(parseDateTime('2026-11-26T10:00:00+01:00', 't').toISOString()).toBe('2026-11-26T09:00:00.000Z');
    expect(() => parseDateTime('2026-11-26T10:00:00', 't')).toThrow(/offset/);
  });

  it('adds days across month ends', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
  });
});

describe('text', () => {
  it('trims, treats blank as absent, bounds length and refuses control characters', () => {
    expect(parseText('  Ada  ', 'name')).toBe('Ada');
    expect(parseText('   ', 'name')).toBeNull();
    expect(() => parseText('x'.repeat(501), 'name')).toThrow(/at most 500/);
    expect(() => parseText('a\u0000b', 'name')).toThrow(/control characters/);
    expect(parseText('line one\nline two', 'notes')).toBe('line one\nline two');
  });

  it('lower-cases emails and checks their shape', () => {
    expect(parseEmail('Ada@Example.COM', 'email')).toBe('ada@example.com');
    expect(() => parseEmail('not-an-email', 'email')).toThrow(/email address/);
  });

  it('deduplicates string lists and bounds them', () => {
    expect(parseStringList(['DE', 'DE', 'AT'], 'regions')).toEqual(['DE', 'AT']);
    expect(() => parseStringList('DE', 'regions')).toThrow(/list/);
  });
});

describe('order statistics', () => {
  it('interpolates linearly between closest ranks', () => {
    expect(median([1, 3, 2, 4])).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 0.9)).toBeCloseTo(46);
    expect(percentile([], 0.5)).toBeNull();
  });
});

describe('neutralizeFormula', () => {
  it.each([
    ['=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'],
    ['+1+1', "'+1+1"],
    ['-1+1', "'-1+1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['-12.50', '-12.50'],
    ['-7', '-7'],
    ['Acme = best', 'Acme = best'],
    ['', ''],
  ])('%j becomes %j', (input, expected) => {
    expect(neutralizeFormula(input)).toBe(expected);
  });
});
