import fs from 'node:fs';
import path from 'node:path';

import { workspaceRoot } from '@pipeline/dev-infra';

export interface BenchResult {
  name: string;
  // What was measured and its unit, e.g. "rows/s".
  metric: string;
  value: number;
  baselineName: string;
  baseline: number;
  // value / baseline: comparable across machines, unlike the absolute figures.
  ratio: number;
  details: Record<string, unknown>;
  measuredAt: string;
}

export function result(
  name: string,
  metric: string,
  value: number,
  baselineName: string,
  baseline: number,
  details: Record<string, unknown> = {},
): BenchResult {
  return {
    name,
    metric,
    value: round(value),
    baselineName,
    baseline: round(baseline),
    ratio: round(value / baseline, 4),
    details,
    measuredAt: new Date().toISOString(),
  };
}

export const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

export async function timed<T>(action: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const value = await action();
  return { value, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

export function percentiles(samples: number[]): { p50: number; p95: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)) };
}

// Results are kept beside the benchmarks so a change's effect shows in review.
export function save(results: BenchResult[]): void {
  const directory = path.join(workspaceRoot(), 'tools', 'bench', 'results');
  fs.mkdirSync(directory, { recursive: true });
  for (const entry of results) fs.writeFileSync(path.join(directory, `${entry.name}.json`), `${JSON.stringify(entry, null, 2)}\n`);
}

export function print(results: BenchResult[]): void {
  for (const entry of results) {
    console.log(`\n${entry.name}: ${entry.value} ${entry.metric} (baseline ${entry.baselineName}: ${entry.baseline} ${entry.metric}; ratio ${entry.ratio})`);
    for (const [key, value] of Object.entries(entry.details)) console.log(`  ${key}: ${typeof value === 'object' ? JSON.stringify(value) : value}`);
  }
}
