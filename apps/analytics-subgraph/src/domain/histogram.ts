// Durations (in days) kept as log-scale histograms, so percentiles of any number of groups come from summed bucket counts.
// Bucket i > 0 holds |v| in (MIN·γ^(i-2), MIN·γ^(i-1)] with γ = (1+α)/(1-α); its representative 2·MIN·γ^(i-1)/(γ+1) is
// within α of every value in it (DDSketch). Percentiles interpolate between representatives as percentile_cont
// interpolates between values, so a percentile is within α (relative) of the exact one for durations of at least
// MIN days, and within MIN days (absolute) below that. Negative durations mirror the positive buckets.
export const HISTOGRAM_RELATIVE_ERROR = 0.01;
export const HISTOGRAM_MIN_DAYS = 0.0001;
const GAMMA = (1 + HISTOGRAM_RELATIVE_ERROR) / (1 - HISTOGRAM_RELATIVE_ERROR);
const LN_GAMMA = Math.log(GAMMA);

// The bucket of a duration in days, as SQL (the same formula as bucketOf).
export function bucketSql(days: string): string {
  const value = `(${days})::float8`;
  return `(CASE WHEN abs(${value}) < ${HISTOGRAM_MIN_DAYS}::float8 THEN 0 ELSE sign(${value})::integer * (ceil(ln(abs(${value}) / ${HISTOGRAM_MIN_DAYS}::float8) / ${LN_GAMMA}::float8)::integer + 1) END)`;
}

export function bucketOf(days: number): number {
  if (Math.abs(days) < HISTOGRAM_MIN_DAYS) return 0;
  return Math.sign(days) * (Math.ceil(Math.log(Math.abs(days) / HISTOGRAM_MIN_DAYS) / LN_GAMMA) + 1);
}

export function representative(bucket: number): number {
  if (bucket === 0) return 0;
  return (Math.sign(bucket) * 2 * HISTOGRAM_MIN_DAYS * GAMMA ** (Math.abs(bucket) - 1)) / (GAMMA + 1);
}

export interface BucketCount {
  bucket: number;
  count: number;
}

// percentile_cont over the histogram: the values at ranks floor and ceil of (n-1)·p, linearly interpolated.
export function histogramPercentile(buckets: BucketCount[], p: number): number | null {
  const sorted = buckets.filter((entry) => entry.count > 0).sort((a, b) => a.bucket - b.bucket);
  const total = sorted.reduce((sum, entry) => sum + entry.count, 0);
  if (total === 0) return null;
  const position = (total - 1) * p;
  const valueAt = (rank: number) => {
    let seen = 0;
    for (const entry of sorted) {
      seen += entry.count;
      if (rank < seen) return representative(entry.bucket);
    }
    return representative(sorted[sorted.length - 1].bucket);
  };
  const below = Math.floor(position);
  const low = valueAt(below);
  return low + (valueAt(Math.ceil(position)) - low) * (position - below);
}
