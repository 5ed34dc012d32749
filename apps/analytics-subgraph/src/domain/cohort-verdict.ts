import type { RateEstimate } from './wilson';

export type CohortVerdict = 'SAMPLE_TOO_SMALL' | 'HIGHER' | 'LOWER' | 'NO_CLEAR_DIFFERENCE';

// Below this many trials per cohort a 95% interval is wider than most real effects: say so instead of guessing.
export const MIN_COHORT_SAMPLE = 30;

// After vs before: higher or lower only when the two Wilson intervals do not overlap (a conservative test).
export function compareRates(before: RateEstimate, after: RateEstimate, minSample = MIN_COHORT_SAMPLE): CohortVerdict {
  if (before.sample < minSample || after.sample < minSample) return 'SAMPLE_TOO_SMALL';
  if ((after.low as number) > (before.high as number)) return 'HIGHER';
  if ((after.high as number) < (before.low as number)) return 'LOWER';
  return 'NO_CLEAR_DIFFERENCE';
}
