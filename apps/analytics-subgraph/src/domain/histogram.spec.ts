import fc from 'fast-check';

import { bucketOf, HISTOGRAM_MIN_DAYS, HISTOGRAM_RELATIVE_ERROR, histogramPercentile, representative } from './histogram';

// percentile_cont, as the facts path computes it.
function exactPercentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  return sorted[below] + (sorted[Math.ceil(position)] - sorted[below]) * (position - below);
}

const bound = (exact: number) => HISTOGRAM_RELATIVE_ERROR * Math.abs(exact) + HISTOGRAM_MIN_DAYS;
const days = fc.oneof(fc.double({ min: 0, max: 5_000, noNaN: true }), fc.double({ min: -5, max: 0, noNaN: true }));

describe('duration histograms', () => {
  it('represent every duration within the stated error', () => {
    fc.assert(fc.property(days, (value) => expect(Math.abs(representative(bucketOf(value)) - value)).toBeLessThanOrEqual(bound(value))));
  });

  it('order buckets as their durations', () => {
    fc.assert(fc.property(days, days, (a, b) => expect(Math.sign(bucketOf(a) - bucketOf(b)) * Math.sign(a - b)).toBeGreaterThanOrEqual(0)));
  });

  it('give percentiles within the stated error of the exact ones', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 400, noNaN: true }), { minLength: 1, maxLength: 200 }), fc.constantFrom(0.5, 0.75, 0.9), (values, p) => {
        const counts = new Map<number, number>();
        for (const value of values) counts.set(bucketOf(value), (counts.get(bucketOf(value)) ?? 0) + 1);
        const approximate = histogramPercentile(
          [...counts].map(([bucket, count]) => ({ bucket, count })),
          p,
        ) as number;
        const exact = exactPercentile(values, p) as number;
        expect(Math.abs(approximate - exact)).toBeLessThanOrEqual(bound(exact) + 1e-9);
      }),
    );
  });

  it('have no percentile when empty', () => {
    expect(histogramPercentile([], 0.5)).toBeNull();
  });
});
