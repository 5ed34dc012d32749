// A service's Prometheus histograms (GET /metrics) read before and after a bench step, so the step's own observations
// can be told apart: count, exact mean (from _sum) and the bucket bound each percentile falls under.
export interface HistogramSnapshot {
  // Per label set (without le): cumulative count per bucket bound, plus sum and count.
  series: Map<string, { buckets: Map<number, number>; sum: number; count: number }>;
}

export interface HistogramSummary {
  count: number;
  meanMs: number;
  p50AtMostMs: number;
  p95AtMostMs: number;
  p99AtMostMs: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\} (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

// One read of a service's /metrics for every histogram named.
export async function readHistograms(baseUrl: string, names: string[]): Promise<HistogramSnapshot[]> {
  const response = await fetch(`${baseUrl}/metrics`);
  if (!response.ok) throw new Error(`${baseUrl}/metrics answered ${response.status}`);
  const text = await response.text();
  return names.map((name) => parseHistogram(text, name));
}

export function parseHistogram(text: string, name: string): HistogramSnapshot {
  const series: HistogramSnapshot['series'] = new Map();
  for (const line of text.split('\n')) {
    const match = LINE.exec(line);
    if (!match || !match[1].startsWith(name)) continue;
    const part = match[1].slice(name.length);
    if (part !== '_bucket' && part !== '_sum' && part !== '_count') continue;
    const labels = [...match[2].matchAll(LABEL)].map(([, key, value]) => [key, value] as const);
    const key = labels
      .filter(([label]) => label !== 'le')
      .map(([label, value]) => `${label}=${value}`)
      .join(',');
    const entry = series.get(key) ?? { buckets: new Map<number, number>(), sum: 0, count: 0 };
    const value = Number(match[3]);
    if (part === '_sum') entry.sum = value;
    else if (part === '_count') entry.count = value;
    else {
      const bound = labels.find(([label]) => label === 'le')?.[1];
      entry.buckets.set(bound === '+Inf' ? Number.POSITIVE_INFINITY : Number(bound), value);
    }
    series.set(key, entry);
  }
  return { series };
}

// What was observed between two snapshots, per label set that has observations.
export function summarizeBetween(before: HistogramSnapshot, after: HistogramSnapshot): Record<string, HistogramSummary> {
  const summaries: Record<string, HistogramSummary> = {};
  for (const [key, late] of after.series) {
    const early = before.series.get(key);
    const count = late.count - (early?.count ?? 0);
    if (count <= 0) continue;
    const bounds = [...late.buckets.keys()].sort((a, b) => a - b);
    const delta = bounds.map((bound) => [bound, (late.buckets.get(bound) ?? 0) - (early?.buckets.get(bound) ?? 0)] as const);
    const under = (quantile: number) => {
      const found = delta.find(([, cumulative]) => cumulative >= quantile * count)?.[0] ?? Number.POSITIVE_INFINITY;
      return found * 1000;
    };
    summaries[key] = {
      count,
      meanMs: Math.round(((late.sum - (early?.sum ?? 0)) / count) * 10_000) / 10,
      p50AtMostMs: under(0.5),
      p95AtMostMs: under(0.95),
      p99AtMostMs: under(0.99),
    };
  }
  return summaries;
}
