import { parseArgs } from 'node:util';

import type { Actor } from '@pipeline/domain';
import { Client } from 'pg';
import type { EntityManager } from 'typeorm';

import { periods } from './domain/periods';
import { computeMetrics, computeMetricsSeries } from './use-cases/get-pipeline-metrics/get-pipeline-metrics';
import { metricsScope, type RawMetricsFilter } from './use-cases/shared/scope';

// Profiling aid: runs pipelineMetrics (or the 52-week series) against an analytics database and prints, per statement,
// its EXPLAIN (ANALYZE, BUFFERS) plan, slowest first. `tsx apps/analytics-subgraph/src/explain-metrics.ts --database <url>
// [--team T] [--owner ID] [--series]`.
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      database: { type: 'string' },
      team: { type: 'string' },
      owner: { type: 'string' },
      series: { type: 'boolean', default: false },
      plans: { type: 'string', default: '3' },
    },
  });
  if (!values.database) throw new Error('--database <postgres url> is required');
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
  const actor: Actor = { userId: '00000000-0000-4000-8000-0000000000aa', roles: ['ADMIN'], teamId: null };
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

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
