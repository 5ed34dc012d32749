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
