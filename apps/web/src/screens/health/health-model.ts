// Health's view logic: periods, forecast rows against a target, CSV names.
export type Period = '30' | '90' | '365' | 'all';

export function periodFilter(period: Period, now: Date = new Date()): { from?: string } {
  if (period === 'all') return {};
  return { from: new Date(now.getTime() - Number(period) * 86_400_000).toISOString() };
}

export interface ForecastRange {
  month: string;
  currency: string;
  p10: string;
  p50: string;
  p90: string;
}

export interface ForecastRow extends ForecastRange {
  // Numbers for drawing only; the table shows the API's decimal strings.
  band: [number, number];
  median: number;
  target: number | null;
  // Median minus target, as the table says it: "+1,200" or "−300".
  gap: number | null;
}

export function forecastRows(ranges: readonly ForecastRange[], currency: string, monthlyTarget: number | null): ForecastRow[] {
  return ranges
    .filter((range) => range.currency === currency)
    .sort((a, b) => a.month.localeCompare(b.month))
    .map((range) => ({
      ...range,
      band: [Number(range.p10), Number(range.p90)],
      median: Number(range.p50),
      target: monthlyTarget,
      gap: monthlyTarget === null ? null : Number(range.p50) - monthlyTarget,
    }));
}

export const currenciesOf = (ranges: readonly ForecastRange[]): string[] => [...new Set(ranges.map((range) => range.currency))].sort();

export const REPORT_DIMENSIONS = ['REP', 'TEAM', 'SOURCE', 'INDUSTRY'] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

export const reportCsvPath = (dimension: ReportDimension, filter: { from?: string }): string => {
  const query = new URLSearchParams(filter.from ? { from: filter.from } : {}).toString();
  return `/exports/reports/${dimension.toLowerCase()}.csv${query ? `?${query}` : ''}`;
};

// Forecast accuracy in a manager's words: "+12.5% over" (promised more than was won), hits of the P10–P90 range.
export function biasWords(bias: number | null): string {
  if (bias === null) return '— (nothing won yet)';
  if (Math.abs(bias) < 0.0005) return '0.0% (on target)';
  return `${bias > 0 ? '+' : '−'}${(Math.abs(bias) * 100).toFixed(1)}% (${bias > 0 ? 'over-forecast' : 'under-forecast'})`;
}

export function hitWords(outcomes: ReadonlyArray<{ withinRange: boolean }>): string {
  if (outcomes.length === 0) return '—';
  const hits = outcomes.filter((outcome) => outcome.withinRange).length;
  return `${Math.round((hits / outcomes.length) * 100)}% (${hits} of ${outcomes.length} months)`;
}

export interface AccuracyLike {
  level: 'COMPANY' | 'TEAM' | 'REP';
  key: string | null;
  currency: string;
}

// Who a row is about: the rep's name, the team, or the company; sorted by that name, then currency.
export function accuracyRows<T extends AccuracyLike>(rows: readonly T[], repNames: ReadonlyMap<string, string>): Array<T & { who: string }> {
  return rows
    .map((row) => ({
      ...row,
      who: row.level === 'COMPANY' || row.key === null ? 'Company' : row.level === 'TEAM' ? `Team ${row.key}` : (repNames.get(row.key) ?? row.key),
    }))
    .sort((a, b) => a.who.localeCompare(b.who) || a.currency.localeCompare(b.currency));
}

export interface RateLike {
  successes: number;
  sample: number;
  rate: number | null;
  low: number | null;
  high: number | null;
}

// "50.0% · 1 of 2 closed · 95% interval 9–91%", or why there is no rate yet.
export function rateWords(estimate: RateLike): string {
  if (estimate.sample === 0 || estimate.rate === null) return 'no closed deals yet';
  const interval =
    estimate.low === null || estimate.high === null ? '' : ` · 95% interval ${Math.round(estimate.low * 100)}–${Math.round(estimate.high * 100)}%`;
  return `${(estimate.rate * 100).toFixed(1)}% · ${estimate.successes} of ${estimate.sample} won${interval}`;
}
