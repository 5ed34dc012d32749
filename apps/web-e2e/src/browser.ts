import fs from 'node:fs';
import path from 'node:path';

import { CHROMIUM_ARGS, ensureChromium, workspaceRoot } from '@pipeline/dev-infra';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';

import type { SeededPeople } from './web-stack';

export const origin = (): string => {
  const url = process.env.WEB_E2E_ORIGIN;
  if (!url) throw new Error('WEB_E2E_ORIGIN is not set: run through the web-e2e Jest project');
  return url;
};

export const people = (): SeededPeople => JSON.parse(process.env.WEB_E2E_PEOPLE ?? '{}');

// playwright's launch() gives every browser a fresh temporary profile (its own --user-data-dir).
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: ensureChromium(),
    headless: true,
    args: CHROMIUM_ARGS.filter((flag) => !flag.startsWith('--headless')),
    timeout: 60_000,
  });
}

export async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  // bypassCSP lets the tests inject axe-core; the app itself runs under the gateway's policy otherwise.
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/Berlin', bypassCSP: true });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  return { context, page };
}

// Through the sign-in page, as a person does: the developer endpoint signs a token for the chosen seeded user.
export async function signIn(page: Page, name: string): Promise<void> {
  await page.goto(`${origin()}/board`);
  await page.getByRole('button', { name: new RegExp(`^${name}`) }).click();
  await page.getByRole('heading', { name: 'Board', level: 1 }).waitFor();
}

export const goTo = (page: Page, screen: 'My work' | 'Board' | 'Health' | 'Leads' | 'Manager'): Promise<void> =>
  page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: screen }).click();

export const column = (page: Page, stage: string): Locator => page.locator(`section.column[data-stage="${stage}"]`);
export const card = (page: Page, name: string): Locator => page.locator('li.card', { has: page.getByRole('link', { name, exact: true }) });

export async function boardReady(page: Page): Promise<void> {
  await page.locator('.board[data-ready="true"]').waitFor();
}

// A real pointer drag: press on the card's handle, move in steps (dnd-kit starts after 4 px), release over the column.
// Each step waits for the board to show it (the card lifted, the column highlighted), so a drag a re-render swallowed
// is seen as such and tried again, as a person would, instead of releasing over nothing.
export async function dragCard(page: Page, name: string, toStage: string): Promise<void> {
  const target = column(page, toStage);
  for (let attempt = 1; ; attempt += 1) {
    const handle = card(page, name).getByRole('button', { name: `Move ${name}` });
    await handle.scrollIntoViewIfNeeded();
    const from = await handle.boundingBox();
    const to = await target.boundingBox();
    if (!from || !to) throw new Error(`Cannot drag ${name} to ${toStage}: not on screen`);
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2, { steps: 3 });
    const lifted = await page
      .locator('li.card.dragging', { has: page.getByRole('link', { name, exact: true }) })
      .waitFor({ timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    if (lifted) {
      await page.mouse.move(to.x + to.width / 2, to.y + 80, { steps: 12 });
      const over = await page
        .locator(`section.column.over[data-stage="${toStage}"]`)
        .waitFor({ timeout: 5_000 })
        .then(() => true)
        .catch(() => false);
      if (over) {
        await page.mouse.up();
        return;
      }
      await page.keyboard.press('Escape');
    }
    await page.mouse.up();
    if (attempt === 3)
      throw new Error(`Dragging ${name} to ${toStage} did not take: the card ${lifted ? 'was lifted but the column never lit up' : 'never lifted'}`);
  }
}

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

// axe-core in the page; the bar is no serious or critical violation (WCAG 2.1 A and AA rules).
export async function seriousAccessibilityViolations(page: Page): Promise<Array<{ id: string; impact: string | null; help: string; targets: string[] }>> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })).violations;
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.slice(0, 5).map((node) => node.target.join(' ')),
    }));
}

// Screens for the README: .local/screenshots always; WEB_SCREENSHOTS_DIR=docs/screenshots refreshes the committed ones.
export async function screenshot(page: Page, name: string): Promise<void> {
  writeScreenshot(name, await page.screenshot({ fullPage: true }));
}

// One part of a screen (a panel, a card), for a closer look than the whole page gives.
export async function screenshotOf(locator: Locator, name: string): Promise<void> {
  writeScreenshot(name, await locator.screenshot());
}

function writeScreenshot(name: string, image: Buffer): void {
  const dirs = [
    path.join(workspaceRoot(), '.local', 'screenshots'),
    ...(process.env.WEB_SCREENSHOTS_DIR ? [path.resolve(workspaceRoot(), process.env.WEB_SCREENSHOTS_DIR)] : []),
  ];
  for (const dir of dirs) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${name}.png`), image);
  }
}
