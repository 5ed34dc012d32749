import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { workspaceRoot } from '@pipeline/dev-infra';
import { adminActor, expectNoErrors, mintUserToken, waitFor } from '@pipeline/testing';
import { parse } from 'csv-parse/sync';

import { callAs, gatewayUrl } from './e2e-env';

const run = promisify(execFile);
const SAMPLE = path.join(workspaceRoot(), 'tools', 'import', 'sample', 'sales-pipeline-sample.csv');

const quantile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  return sorted[below] + (sorted[Math.min(below + 1, sorted.length - 1)] - sorted[below]) * (position - below);
};

describe('importing historical opportunities (tools/import/import-opportunities.ts)', () => {
  it('imports the sample through the opportunity subgraph, and analytics answers the KPIs computed from the file', async () => {
    // Arrange: the KPIs, from the CSV alone
    const rows: Array<Record<string, string>> = parse(fs.readFileSync(SAMPLE, 'utf8'), { columns: true });
    // Like the public export it samples, some open rows name no account; they import and count like the others.
    expect(rows.filter((row) => row.account === '').length).toBeGreaterThan(0);
    const won = rows.filter((row) => row.deal_stage === 'Won');
    const lost = rows.filter((row) => row.deal_stage === 'Lost');
    const cycles = won.map((row) => (Date.parse(row.close_date) - Date.parse(row.engage_date)) / 86_400_000);
    const average = won.reduce((sum, row) => sum + Number(row.close_value), 0) / won.length;

    // Act: the CLI, as an operator runs it
    const { stdout, stderr } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(workspaceRoot(), 'tools', 'import', 'import-opportunities.ts'),
        SAMPLE,
        '--url',
        gatewayUrl(),
        '--token',
        await mintUserToken(adminActor()),
        '--batch-size',
        '25',
      ],
      { cwd: workspaceRoot(), env: { ...process.env, TSX_TSCONFIG_PATH: path.join(workspaceRoot(), 'tsconfig.base.json') } },
    );

    // Assert: the import
    expect(JSON.parse(stdout)).toMatchObject({ rows: rows.length, created: rows.length, errors: 0 });
    expect(stderr).toMatch(`imported ${rows.length}/${rows.length} rows (100%)`);

    // Assert: analytics, restricted to the imported reps
    const admin = await callAs(adminActor());
    const reps = expectNoErrors(await admin<any>('{ salesReps { id email } }')).salesReps.filter((rep: any) => rep.email.endsWith('@import.local'));
    const filter = { ownerIds: reps.map((rep: any) => rep.id) };
    const metrics = await waitFor(
      async () => {
        const data = expectNoErrors(
          await admin<any>(
            `query($filter: MetricsFilter) { pipelineMetrics(filter: $filter) { pipelineSize { openCount } wonCount lostCount winRate averageDealValue { amount currency } salesCycle { count meanDays medianDays p90Days } } }`,
            { filter },
          ),
        ).pipelineMetrics;
        // Every creation and every close must have landed: counting opportunities alone could catch a close in flight.
        const complete =
          data.pipelineSize.openCount + data.wonCount + data.lostCount === rows.length && data.wonCount + data.lostCount === won.length + lost.length;
        return complete ? data : null;
      },
      { timeoutMs: 30_000, what: 'analytics to see every imported opportunity and close' },
    );
    expect(metrics.pipelineSize.openCount).toBe(rows.length - won.length - lost.length);
    expect(metrics.wonCount).toBe(won.length);
    expect(metrics.lostCount).toBe(lost.length);
    expect(metrics.winRate).toBeCloseTo(won.length / (won.length + lost.length), 10);
    expect(metrics.averageDealValue).toEqual([{ amount: average.toFixed(2), currency: 'USD' }]);
    expect(metrics.salesCycle.count).toBe(won.length);
    expect(metrics.salesCycle.meanDays).toBeCloseTo(cycles.reduce((a, b) => a + b, 0) / cycles.length, 6);
    expect(metrics.salesCycle.medianDays).toBeCloseTo(quantile(cycles, 0.5), 6);
    expect(metrics.salesCycle.p90Days).toBeCloseTo(quantile(cycles, 0.9), 6);

    // A second run imports nothing twice
    const again = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(workspaceRoot(), 'tools', 'import', 'import-opportunities.ts'),
        SAMPLE,
        '--url',
        gatewayUrl(),
        '--token',
        await mintUserToken(adminActor()),
      ],
      { cwd: workspaceRoot(), env: { ...process.env, TSX_TSCONFIG_PATH: path.join(workspaceRoot(), 'tsconfig.base.json') } },
    );
    expect(JSON.parse(again.stdout)).toMatchObject({ created: 0, skipped: rows.length });
  });
});
