import { engagementVolume, perWeek } from './engagement';

describe('engagementVolume', () => {
  it.each([
    [0, 'NO_TOUCH'],
    [1, 'LIGHT'],
    [2, 'LIGHT'],
    [3, 'STEADY'],
    [5, 'STEADY'],
    [6, 'HEAVY'],
    [40, 'HEAVY'],
  ])('names %i activities before a close %s', (activities, pattern) => {
    expect(engagementVolume(activities)).toBe(pattern);
  });
});

describe('perWeek', () => {
  it('divides by whole and partial weeks of the period', () => {
    expect(perWeek(12, new Date('2026-10-05T00:00:00Z'), new Date('2026-11-02T00:00:00Z'))).toBe(3);
    expect(perWeek(3, new Date('2026-10-05T00:00:00Z'), new Date('2026-10-15T12:00:00Z'))).toBeCloseTo(2, 12);
  });

  it('refuses an empty period', () => {
    expect(() => perWeek(1, new Date('2026-10-05T00:00:00Z'), new Date('2026-10-05T00:00:00Z'))).toThrow(RangeError);
  });
});
