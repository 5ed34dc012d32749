import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

import { CHROMIUM_ARGS, ensureChromium } from '@pipeline/dev-infra';
import { expectNoErrors } from '@pipeline/testing';
import { chromium } from 'playwright-core';

import { WEB_DIST_DIR } from '../stack/web-build';
import { type BenchResult, percentiles, result, round } from './bench-kit';
import type { BenchStack } from './bench-stack';

const OPEN_OPPORTUNITIES = 500;
const RUNS = 7;
const BUDGET_KB = 300;

// The initial JavaScript of the production bundle: the entry script and the chunks index.html preloads, gzipped.
export function webBundle(): BenchResult {
  const html = fs.readFileSync(path.join(WEB_DIST_DIR, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]);
  const gz = (file: string) => zlib.gzipSync(fs.readFileSync(path.join(WEB_DIST_DIR, file)), { level: 9 }).length;
  const initialBytes = initial.reduce((sum, file) => sum + gz(file), 0);
  const all = fs.readdirSync(path.join(WEB_DIST_DIR, 'assets')).filter((file) => file.endsWith('.js'));
  const chunks = Object.fromEntries(all.map((file) => [file.replace(/-[\w-]{8}\.js$/, ''), `${round(gz(`assets/${file}`) / 1024, 1)} KB`]));
  return result('web-initial-js', 'KB gzipped', initialBytes / 1024, 'the issue budget', BUDGET_KB, { initialFiles: initial, chunksGzipped: chunks });
}

export async function seedBoard(stack: BenchStack): Promise<{ ownerId: string }> {
  const rep = expectNoErrors(
    await stack.admin<any>(`mutation($input: CreateSalesRepInput!) { createSalesRep(input: $input) { salesRep { id } } }`, {
      input: {
        name: 'Bench Rep',
        email: `bench.rep.${Date.now()}@example.com`,
        role: 'REP',
        teamId: 'bench',
        regions: ['DE'],
        industries: ['Software'],
        capacity: 1000,
      },
    }),
  ).createSalesRep.salesRep.id as string;
  const closeDate = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
  const create = async (index: number) => {
    const id = expectNoErrors(
      await stack.admin<any>(`mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { opportunity { id } } }`, {
        input: {
          name: `Bench deal ${index}`,
          accountName: `Account ${index}`,
          industry: ['Software', 'Retail', 'Finance'][index % 3],
          ownerId: rep,
          amount: { amount: String(1000 + index * 37), currency: index % 5 === 0 ? 'USD' : 'EUR' },
          expectedCloseDate: closeDate,
        },
      }),
    ).createOpportunity.opportunity.id as string;
    if (index % 2 === 1)
      expectNoErrors(
        await stack.admin(`mutation($input: MoveOpportunityStageInput!) { moveOpportunityStage(input: $input) { opportunity { id } } }`, {
          input: { opportunityId: id, toStage: 'PROPOSAL' },
        }),
      );
  };
  for (let start = 0; start < OPEN_OPPORTUNITIES; start += 8)
    await Promise.all(Array.from({ length: Math.min(8, OPEN_OPPORTUNITIES - start) }, (_, offset) => create(start + offset)));
  return { ownerId: rep };
}

// The board with 500 open opportunities in Chromium, on the production bundle served by the gateway: from navigation
// start until the board is rendered with its data and the main thread has finished its long tasks. Baseline: the same
// board query through the gateway from Node, without any browser (the API's share of the wait).
export async function benchWebBoard(stack: BenchStack): Promise<BenchResult[]> {
  await seedBoard(stack);
  await stack.waitForQuiet();
  const origin = new URL(stack.gatewayUrl).origin;
  const signIn = await fetch(`${origin}/auth/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: '00000000-0000-4000-8000-00000000a002' }),
  });
  const { token } = (await signIn.json()) as { token: string };

  const manifest = JSON.parse(fs.readFileSync(path.join(WEB_DIST_DIR, 'persisted-documents.json'), 'utf8')) as Record<string, string>;
  const boardQuery = Object.values(manifest).find((text) => text.startsWith('query Board('));
  const apiSamples: number[] = [];
  for (let run = 0; run < RUNS + 1; run += 1) {
    const started = performance.now();
    const body = expectNoErrors(await stack.admin<any>(boardQuery as string, { filter: { status: ['OPEN'] }, cardsPerStage: 100 }));
    if (run > 0) apiSamples.push(performance.now() - started);
    if (body.pipelineBoard.totalCount !== OPEN_OPPORTUNITIES)
      throw new Error(`expected ${OPEN_OPPORTUNITIES} open opportunities, the board has ${body.pipelineBoard.totalCount}`);
  }

  const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS.filter((flag) => !flag.startsWith('--headless')) });
  const samples: number[] = [];
  let cards = 0;
  try {
    for (let run = 0; run < RUNS + 1; run += 1) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      await context.addInitScript((value) => (globalThis as any).sessionStorage.setItem('pipeline.session.token', value), token);
      await context.addInitScript(() => {
        (globalThis as any).__longTasks = [];
        new PerformanceObserver((list) =>
          (globalThis as any).__longTasks.push(...list.getEntries().map((entry) => ({ start: entry.startTime, end: entry.startTime + entry.duration }))),
        ).observe({ type: 'longtask' as any, buffered: true });
      });
      const page = await context.newPage();
      await page.goto(`${origin}/board`);
      await page
        .locator('.board[data-ready="true"]')
        .waitFor({ timeout: 60_000 })
        .catch(async (error: Error) => {
          throw new Error(`${error.message}\nthe page showed: ${(await page.locator('body').innerText()).slice(0, 1_000)}`);
        });
      // Quiet for a while after the render, so the last long task has ended and been reported.
      await page.waitForFunction(
        () =>
          performance.getEntriesByName('board-rendered').length > 0 && performance.now() - performance.getEntriesByName('board-rendered')[0].startTime > 1_000,
      );
      const interactive = await page.evaluate(() => {
        const rendered = performance.getEntriesByName('board-rendered')[0].startTime;
        const tasks = ((globalThis as any).__longTasks as Array<{ start: number; end: number }>).filter((task) => task.start < rendered + 500);
        return Math.max(rendered, ...tasks.map((task) => task.end));
      });
      cards = await page.locator('li.card').count();
      if (run > 0) samples.push(interactive);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const browserTimes = percentiles(samples);
  const api = percentiles(apiSamples);
  return [
    result(
      'web-board-interactive',
      'ms (p50, navigation start to board interactive)',
      browserTimes.p50,
      'board query through the gateway from Node, p50',
      api.p50,
      {
        openOpportunities: OPEN_OPPORTUNITIES,
        cardsRendered: cards,
        runs: RUNS,
        browser: browserTimes,
        samples: samples.map((sample) => round(sample)),
        apiQuery: api,
      },
    ),
    webBundle(),
  ];
}
