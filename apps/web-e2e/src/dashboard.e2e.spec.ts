import { expectNoErrors, gatewayClient, mintUserToken, repActor, waitFor } from '@pipeline/testing';
import type { Browser, Page } from 'playwright-core';

import {
  boardReady,
  card,
  column,
  dragCard,
  goTo,
  launchBrowser,
  newPage,
  origin,
  people,
  screenshot,
  seriousAccessibilityViolations,
  signIn,
} from './browser';

// The dashboard in Debian's Chromium against the whole stack: five services as processes, PostgreSQL and Kafka, the
// gateway serving the production bundle and accepting only the web client's trusted documents.
describe('the pipeline dashboard in a real browser', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  const inColumn = async (page: Page, name: string, stage: string) =>
    column(page, stage)
      .locator('li.card', { has: page.getByRole('link', { name, exact: true }) })
      .waitFor();

  // The rep's own numbers as the API computes them, formatted as the tiles show them.
  const ritaMetrics = async () => {
    const call = gatewayClient(process.env.WEB_E2E_GATEWAY_URL as string, await mintUserToken(repActor(people().rita, 'north')));
    return expectNoErrors(
      await call<any>(`query($filter: MetricsFilter) { pipelineMetrics(filter: $filter) { wonCount lostCount winRate pipelineSize { openCount } } }`, {
        filter: { from: new Date(Date.now() - 90 * 86_400_000).toISOString() },
      }),
    ).pipelineMetrics;
  };
  const winRateTile = (page: Page) => page.getByTestId('kpi-win-rate');

  it('takes a lead to a won deal: qualify, convert, a refused gate with its criteria, proposal, a discount a manager approves, WON; the KPI tile changes', async () => {
    // Arrange
    const { context, page } = await newPage(browser);
    const manager = await newPage(browser);
    await signIn(page, 'Rita Rep');
    await goTo(page, 'Health');
    await winRateTile(page).locator('.tile-detail').waitFor();
    const before = await winRateTile(page).innerText();

    // Act 1: qualify with BANT, first incomplete, then complete; convert
    await goTo(page, 'Leads');
    await page.getByRole('link', { name: 'Ada Buyer' }).click();
    const qualify = page.getByRole('form', { name: 'Qualify lead' });
    await qualify.getByLabel('Has a budget').check();
    await qualify.getByLabel('Budget', { exact: true }).fill('50000');
    await qualify.getByRole('button', { name: 'Save qualification' }).click();
    await page.locator('[data-testid="unmet-criteria"] [data-criterion="AUTHORITY"]').waitFor();
    const unmet = await page.locator('[data-testid="unmet-criteria"] li').allInnerTexts();
    await qualify.getByLabel('Talking to the decision maker').check();
    await qualify.getByLabel('Need', { exact: true }).fill('Forecasts the board trusts');
    await qualify.getByLabel('Need confirmed').check();
    await qualify.getByLabel('Expected purchase').fill(new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
    await qualify.getByRole('button', { name: 'Save qualification' }).click();
    await page.getByTestId('lead-status').filter({ hasText: 'Qualified' }).waitFor();
    await screenshot(page, 'leads');
    await page.getByRole('button', { name: 'Convert to opportunity' }).click();
    await page.getByRole('heading', { name: 'Acme Robotics', level: 1 }).waitFor();

    // Act 2: on the board, drag across the NEGOTIATION gate (refused), then into PROPOSAL
    await goTo(page, 'Board');
    await boardReady(page);
    await inColumn(page, 'Acme Robotics', 'QUALIFICATION');
    await dragCard(page, 'Acme Robotics', 'NEGOTIATION');
    const refusal = card(page, 'Acme Robotics').getByRole('alert');
    // Seen once in CI: no refusal within the wait; say what the board showed instead (a notice, the card's column).
    await refusal.waitFor({ timeout: 20_000 }).catch(async (error: Error) => {
      throw new Error(`${error.message}\nthe board showed: ${(await page.locator('main').innerText()).slice(0, 1_500)}`);
    });
    const refusalText = await refusal.innerText();
    await inColumn(page, 'Acme Robotics', 'QUALIFICATION');
    await screenshot(page, 'board-refused-move');
    await dragCard(page, 'Acme Robotics', 'PROPOSAL');
    await inColumn(page, 'Acme Robotics', 'PROPOSAL');

    // Act 3: a proposal with exact totals, sent; terms above the approval threshold
    await card(page, 'Acme Robotics').getByRole('link', { name: 'Acme Robotics' }).click();
    const proposal = page.getByRole('form', { name: 'New proposal' });
    // Once seen in CI (not reproduced since): the form did not appear; say what the page showed instead.
    await proposal.waitFor({ timeout: 20_000 }).catch(async (error: Error) => {
      throw new Error(`${error.message}\nat ${page.url()} the page showed: ${(await page.locator('body').innerText()).slice(0, 1_500)}`);
    });
    await proposal.getByLabel('Description').fill('Robot fleet licences');
    await proposal.getByLabel('Quantity').fill('4');
    await proposal.getByLabel(/Unit price/).fill('12000.25');
    await proposal.getByLabel('Discount %').fill('10');
    await proposal.getByRole('button', { name: 'Draft proposal' }).click();
    await page.getByRole('button', { name: 'Send proposal' }).click();
    await page.getByText('Proposal sent.').waitFor();
    const total = await page.getByTestId('proposal-total').innerText();
    const terms = page.getByRole('form', { name: 'Set terms' });
    await terms.getByLabel('Discount %').fill('25');
    await terms.getByRole('button', { name: 'Propose terms' }).click();
    await page.locator('[data-approval-status="PENDING"]').waitFor();
    // Proposed terms start the negotiation: the opportunity service moves the stage by event, and the page follows.
    await page.getByTestId('opportunity-stage').filter({ hasText: 'Negotiation' }).waitFor();

    // Act 4: the manager approves the discount from the queue
    await signIn(manager.page, 'Mona Manager');
    await goTo(manager.page, 'Manager');
    const request = manager.page.getByTestId('approvals').getByRole('row', { name: /Acme Robotics/ });
    await request.waitFor();
    await screenshot(manager.page, 'manager');
    await request.getByRole('button', { name: /^Approve/ }).click();
    await manager.page.getByText('Approved the discount on Acme Robotics.').waitFor();

    // Act 5: the rep closes WON
    await page.reload();
    await page.locator('[data-approval-status="APPROVED"]').waitFor();
    await page.getByRole('button', { name: 'Close as won' }).click();
    await page.getByTestId('opportunity-stage').filter({ hasText: 'Closed won' }).waitFor();
    await screenshot(page, 'opportunity');

    // Assert
    expect(unmet).toEqual(['Authority: talking to the decision maker', 'Need: a confirmed need', 'Timeline: a purchase date within the horizon']);
    expect(refusalText).toContain('Negotiation');
    expect(refusalText).toContain('A proposal was sent to the prospect');
    expect(total).toBe('€43,200.90');
    const after = await waitFor(
      async () => {
        await page.goto(`${origin()}/health`);
        await winRateTile(page).locator('.tile-detail').waitFor();
        const text = await winRateTile(page).innerText();
        return text !== before ? text : null;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'the win-rate tile to count the won deal' },
    );
    const api = await ritaMetrics();
    expect(api.wonCount).toBe(1);
    expect(after).toContain(`${(api.winRate * 100).toFixed(1)}%`);
    expect(after).toContain(`${api.wonCount} won · ${api.lostCount} lost`);
    expect(await page.getByTestId('kpi-pipeline-size').locator('.tile-value').innerText()).toBe(String(api.pipelineSize.openCount));
    await screenshot(page, 'health');
    await context.close();
    await manager.context.close();
  });

  it("shows another user's move on an open board live, without a reload", async () => {
    // Arrange: the manager watches the team's board; Otto works his own
    const watcher = await newPage(browser);
    const mover = await newPage(browser);
    await signIn(watcher.page, 'Mona Manager');
    await boardReady(watcher.page);
    await inColumn(watcher.page, 'Live Lumber', 'QUALIFICATION');
    const loads = await watcher.page.evaluate(() => performance.getEntriesByType('navigation').length);
    await signIn(mover.page, 'Otto Rep');
    await boardReady(mover.page);

    // Act
    await dragCard(mover.page, 'Live Lumber', 'PROPOSAL');
    await inColumn(mover.page, 'Live Lumber', 'PROPOSAL');

    // Assert
    await inColumn(watcher.page, 'Live Lumber', 'PROPOSAL');
    expect(await watcher.page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(loads);
    expect(await column(watcher.page, 'QUALIFICATION').getByRole('link', { name: 'Live Lumber', exact: true }).count()).toBe(0);
    await screenshot(watcher.page, 'board');
    await watcher.context.close();
    await mover.context.close();
  });

  it('moves a card with the keyboard alone: space picks it up, arrow right carries it, space drops it', async () => {
    // Arrange
    const { context, page } = await newPage(browser);
    await signIn(page, 'Rita Rep');
    await boardReady(page);
    await inColumn(page, 'Keyboard Kites', 'QUALIFICATION');

    // Act
    await card(page, 'Keyboard Kites').getByRole('button', { name: 'Move Keyboard Kites' }).focus();
    // Each key waits for the card to be lifted or for what a screen reader would announce: dnd-kit measures columns after the pick-up.
    const region = page.locator('[id^="DndLiveRegion"]');
    const announced = async (text: string) => {
      let heard = '';
      await waitFor(
        async () => {
          heard = (await region.textContent()) ?? '';
          return heard.includes(text);
        },
        { timeoutMs: 10_000, what: `the announcement "${text}"` },
      ).catch(async (error: Error) => {
        const focused = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200));
        throw new Error(`${error.message}; the live region said "${heard}"; focus on ${focused}`);
      });
    };
    await page.keyboard.press('Space');
    await page.locator('li.card.dragging[data-opportunity-id]').filter({ hasText: 'Keyboard Kites' }).waitFor();
    await page.keyboard.press('ArrowRight');
    await announced('Keyboard Kites is over Proposal');
    await page.keyboard.press('Space');

    // Assert
    await inColumn(page, 'Keyboard Kites', 'PROPOSAL');
    await context.close();
  });

  it('offers each role only what it may do: an analyst reads everything and gets no drag handles or forms, a rep no manager screen', async () => {
    // Arrange
    const analyst = await newPage(browser);
    const rep = await newPage(browser);

    // Act
    await signIn(analyst.page, 'Ana Analyst');
    await boardReady(analyst.page);
    await inColumn(analyst.page, 'Southern Steel', 'QUALIFICATION');
    await signIn(rep.page, 'Rita Rep');
    await boardReady(rep.page);

    // Assert
    expect(await analyst.page.locator('.drag-handle').count()).toBe(0);
    expect(await analyst.page.getByRole('link', { name: 'Manager' }).count()).toBe(0);
    await card(analyst.page, 'Southern Steel').getByRole('link', { name: 'Southern Steel' }).click();
    await analyst.page.getByRole('heading', { name: 'Southern Steel', level: 1 }).waitFor();
    expect(await analyst.page.locator('form').count()).toBe(0);
    expect(await rep.page.getByRole('link', { name: 'Manager' }).count()).toBe(0);
    expect(await rep.page.getByRole('link', { name: 'Southern Steel', exact: true }).count()).toBe(0);
    await analyst.context.close();
    await rep.context.close();
  });

  it('has no serious or critical accessibility violation on any screen (axe-core)', async () => {
    // Arrange
    const { context, page } = await newPage(browser);
    const found: Record<string, unknown[]> = {};
    const check = async (screen: string) => {
      found[screen] = await seriousAccessibilityViolations(page);
    };

    // Act
    await page.goto(`${origin()}/board`);
    await page.getByRole('heading', { name: 'Sign in to Pipeline' }).waitFor();
    await page.getByRole('button', { name: /^Mona Manager/ }).waitFor();
    await check('sign-in');
    await screenshot(page, 'sign-in');
    await page.getByRole('button', { name: /^Mona Manager/ }).click();
    await boardReady(page);
    await check('board');
    await goTo(page, 'Health');
    await page.getByTestId('kpi-win-rate').waitFor();
    await page.getByRole('heading', { name: 'Reports' }).waitFor();
    await check('health');
    await goTo(page, 'Leads');
    await page.getByRole('link', { name: 'Bea Buyer' }).click();
    await page.getByRole('heading', { name: /Bea Buyer/ }).waitFor();
    await check('leads');
    await goTo(page, 'Board');
    await boardReady(page);
    await card(page, 'Orbit Health').getByRole('link', { name: 'Orbit Health' }).click();
    await page.getByRole('heading', { name: 'Orbit Health', level: 1 }).waitFor();
    await check('opportunity');
    await goTo(page, 'Manager');
    await page.getByRole('heading', { name: /Discount approvals/ }).waitFor();
    await check('manager');

    // Assert
    expect(found).toEqual({ 'sign-in': [], board: [], health: [], leads: [], opportunity: [], manager: [] });
    await context.close();
  });
});
