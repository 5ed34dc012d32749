// Order statistics for KPIs; linear interpolation between closest ranks (the common "type 7" definition).
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (sorted.length - 1) * p;
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
}

export const median = (values: readonly number[]): number | null => percentile(values, 0.5);

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

export const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);
