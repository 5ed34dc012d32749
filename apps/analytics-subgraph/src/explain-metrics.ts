import { parseArgs } from 'node:util';

import type { Actor } from '@pipeline/domain';
import { Client, Pool } from 'pg';
import type { EntityManager } from 'typeorm';

import { periods } from './domain/periods';
import { computeMetrics, computeMetricsSeries } from './use-cases/get-pipeline-metrics/get-pipeline-metrics';
import { metricsScope, type RawMetricsFilter } from './use-cases/shared/scope';

// Profiling aid: runs pipelineMetrics (or the 52-week series) against an analytics database and prints, per statement,
// its EXPLAIN (ANALYZE, BUFFERS) plan, slowest first. `tsx apps/analytics-subgraph/src/explain-metrics.ts --database <url>
// [--team T] [--owner ID] [--manager-of T] [--series] [--time RUNS]`.
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      database: { type: 'string' },
      team: { type: 'string' },
      owner: { type: 'string' },
      // As a manager of this team sees the KPIs (their team's and unowned opportunities) instead of as an admin.
      'manager-of': { type: 'string' },
      series: { type: 'boolean', default: false },
      plans: { type: 'string', default: '3' },
      // Instead of explaining: runs the KPI query this many times on a pool (as the service does) and prints p50/p95.
      time: { type: 'string' },
    },
  });
  if (!values.database) throw new Error('--database <postgres url> is required');
  const actor = values['manager-of'] ? managerOf(values['manager-of']) : ADMIN;
  if (values.time) return timeMetrics(values.database, Number(values.time), values.series ?? false, actor, values.team, values.owner);
  const client = new Client({ connectionString: values.database });
  await client.connect();
  await client.query(`SET jit = off; SET work_mem = '32MB'`);
  const statements: Array<{ ms: number; sql: string; plan: string }> = [];
  const manager = {
    async query(sql: string, parameters: unknown[] = []) {
      const plan = (await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, parameters)).rows.map((row) => row['QUERY PLAN']).join('\n');
      const ms = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? 'NaN');
      statements.push({ ms, sql, plan });
      return (await client.query(sql, parameters)).rows;
    },
  } as unknown as EntityManager;
  const filter: RawMetricsFilter = { ...(values.team ? { teamId: values.team } : {}), ...(values.owner ? { ownerIds: [values.owner] } : {}) };
  const now = new Date();
  const started = performance.now();
  if (values.series) {
    const weekStart = new Date(now);
    weekStart.setUTCHours(0, 0, 0, 0);
    weekStart.setUTCDate(weekStart.getUTCDate() - ((weekStart.getUTCDay() + 6) % 7) + 7);
    const scope = metricsScope(actor, { ...filter, from: new Date(weekStart.getTime() - 52 * 7 * 86_400_000).toISOString(), to: weekStart.toISOString() });
    await computeMetricsSeries(manager, scope, periods(scope.from as Date, scope.to as Date, 'WEEK'), now, Number(process.env.EXACT_PERCENTILE_LIMIT ?? 1_000));
  } else {
    await computeMetrics(manager, metricsScope(actor, filter), now, Number(process.env.EXACT_PERCENTILE_LIMIT ?? 1_000));
  }
  const total = performance.now() - started;
  statements.sort((a, b) => b.ms - a.ms);
  console.log(
    `${statements.length} statements, sum of execution ${statements.reduce((sum, s) => sum + s.ms, 0).toFixed(1)} ms (wall with EXPLAIN ${total.toFixed(0)} ms)`,
  );
  for (const statement of statements) console.log(`${statement.ms.toFixed(1)} ms  ${statement.sql.replace(/\s+/g, ' ').slice(0, 160)}`);
  for (const statement of statements.slice(0, Number(values.plans))) console.log(`\n===== ${statement.ms.toFixed(1)} ms\n${statement.sql}\n${statement.plan}`);
  await client.end();
}

const ADMIN: Actor = { userId: '00000000-0000-4000-8000-0000000000aa', roles: ['ADMIN'], teamId: null };
const managerOf = (teamId: string): Actor => ({ userId: '00000000-0000-4000-8000-0000000000ab', roles: ['MANAGER'], teamId });

// Wall time of the whole KPI computation, its statements in parallel on a pool of 10 with the service's settings.
async function timeMetrics(database: string, runs: number, series: boolean, actor: Actor, team?: string, owner?: string): Promise<void> {
  const pool = new Pool({ connectionString: database, max: 10, options: '-c jit=off -c work_mem=32MB' });
  const manager = { query: async (sql: string, parameters: unknown[] = []) => (await pool.query(sql, parameters)).rows } as unknown as EntityManager;
  const filter: RawMetricsFilter = { ...(team ? { teamId: team } : {}), ...(owner ? { ownerIds: [owner] } : {}) };
  const limit = Number(process.env.EXACT_PERCENTILE_LIMIT ?? 1_000);
  const once = async () => {
    const now = new Date();
    if (!series) return computeMetrics(manager, metricsScope(actor, filter), now, limit);
    const weekStart = new Date(now);
    weekStart.setUTCHours(0, 0, 0, 0);
    weekStart.setUTCDate(weekStart.getUTCDate() - ((weekStart.getUTCDay() + 6) % 7) + 7);
    const scope = metricsScope(actor, { ...filter, from: new Date(weekStart.getTime() - 52 * 7 * 86_400_000).toISOString(), to: weekStart.toISOString() });
    return computeMetricsSeries(manager, scope, periods(scope.from as Date, scope.to as Date, 'WEEK'), now, limit);
  };
  for (let warm = 0; warm < 3; warm += 1) await once();
  const samples: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    await once();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const at = (p: number) => samples[Math.min(samples.length - 1, Math.ceil(p * samples.length) - 1)].toFixed(1);
  console.log(`${runs} runs: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${samples[samples.length - 1].toFixed(1)} ms`);
  await pool.end();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
