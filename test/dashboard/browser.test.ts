// The dashboard in real headless Chromium (Debian's, driven by playwright-core; never a downloaded
// browser): signed pushes through the stand-ins show up in every view, live, and a stranger is refused.
// Screenshots of each view go to test-artifacts/dashboard/; the Extractors view also to docs/extractors.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SECRETS } from '../helpers/world.ts';
import { startDashboardWorld, TOKEN, WITH_TOKEN, type DashboardWorld } from './helpers.ts';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/dashboard/', import.meta.url));
const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
const CHAIN = ['receive', 'verify', 'dedupe', 'enqueue', 'render', 'record', 'matrix.send'];

let x: DashboardWorld;
let browser: Browser;
beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  mkdirSync(DOCS, { recursive: true });
  [x, browser] = await Promise.all([
    startDashboardWorld({ extraYaml: WITH_TOKEN, dashboard: { pollMs: 1000 } }),
    chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    }),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await x?.close();
});

/** Every problem the page reports (a CSP violation, a script error) fails the test. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
}
/** The whole page in one shot: a sized viewport, since a full-page capture leaves the sandboxed frame blank. */
async function shoot(page: Page, ...paths: string[]) {
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: size.width, height: await page.evaluate(() => document.documentElement.scrollHeight) });
  for (const path of paths) await page.screenshot({ path });
  await page.setViewportSize(size);
}
const noSecretIn = (text: string) => Object.values(SECRETS).filter((s) => text.includes(s));

describe('dashboard in Chromium', () => {
  it('shows a signed push in Extractors ("just now"), Runs, the run detail with its chain, and Config; updates live', async () => {
    const { w, d } = x;
    await w.gitea.push('dataforge/api', {
      pusher: 'alice',
      commits: [
        { message: 'Add ingestion endpoint <v2>', author: { name: 'Alice Liddell', email: 'alice@example.com' } },
        { message: 'Fix typo', author: { name: 'Bob', email: 'bob@example.com' } },
        { message: 'Remove obsolete config', author: { name: 'Alice Liddell', email: 'alice@example.com' } },
      ],
    });
    await w.gitea.push('dataforge/web', { pusher: 'registry-bot' }); // recorded as skipped, not announced
    await d.settle();

    const context = await browser.newContext({ viewport: { width: 1180, height: 640 } });
    const page = await context.newPage();
    const problems = watch(page);
    const seen: string[] = [];

    // ?token= once: traded for a cookie, and the token leaves the address bar.
    const first = await page.goto(`${d.url}/ui/?token=${TOKEN}`);
    expect(first!.status()).toBe(200);
    expect(page.url()).toBe(`${d.url}/ui/`);
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'monitor_ui', httpOnly: true, sameSite: 'Strict', path: '/ui' });
    expect(cookie!.value).not.toContain(TOKEN);

    // Extractors: the node with a last run of "just now", its status and its hook state.
    const api = page.locator('tr#node-gitea_push_api');
    expect(await api.locator('time').textContent()).toBe('just now');
    expect(await api.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(await api.textContent()).toMatch(/announced[\s\S]*1[\s\S]*ready/);
    expect(await page.locator('tr#node-gitea_push_web').textContent()).toContain('skipped');
    const pipelines = page.locator('tr#node-gitea_push_pipelines');
    expect(await pipelines.textContent()).toMatch(/never[\s\S]*pending[\s\S]*waiting for a signed delivery/);
    await shoot(page, ARTIFACTS + 'extractors.png', DOCS + 'extractors.png');
    seen.push(await page.content());

    // Keyboard: the skip link comes first.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');

    // Live: a push while the page is open shows up without a reload, and the focused link keeps focus.
    await api.getByRole('link').focus();
    await w.gitea.push('dataforge/pipelines', { pusher: 'bob' });
    await pipelines.locator('time', { hasText: 'just now' }).waitFor({ timeout: 5000 });
    await pipelines.locator('.badge', { hasText: 'ready' }).waitFor({ timeout: 5000 });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('/ui/runs?repo=dataforge%2Fapi');

    // Runs: newest first, filter by repository, link to the detail.
    await page.getByRole('link', { name: 'Runs', exact: true }).click();
    await page.waitForURL(`${d.url}/ui/runs`);
    expect(await page.locator('tbody tr').count()).toBe(3);
    await shoot(page, ARTIFACTS + 'runs.png');
    seen.push(await page.content());
    await page.selectOption('select[name=repo]', 'dataforge/api');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/repo=dataforge%2Fapi/);
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toMatch(/dataforge\/api[\s\S]*push[\s\S]*main[\s\S]*3[\s\S]*ms[\s\S]*announced/);
    let tabs = 0;
    while (!(await page.evaluate(() => (document.activeElement as HTMLAnchorElement | null)?.href ?? '')).includes('/ui/runs/run_') && tabs++ < 20) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');

    // Run detail: the chain as a timeline, the notice as posted (text, and HTML in a sandboxed frame), the room.
    await page.waitForURL(/\/ui\/runs\/run_/);
    expect(await page.locator('ol.chain li').evaluateAll((li) => li.map((l) => l.getAttribute('data-step')))).toEqual(CHAIN);
    expect(await page.locator('ol.chain li[data-step="matrix.send"] .took').textContent()).toMatch(/ms$/);
    expect(await page.locator('pre.body').textContent()).toContain('[dataforge/api] alice pushed 3 commits to main');
    expect(await page.locator('.notice h3').textContent()).toContain('#fn-registry-news:localhost');
    const frame = page.locator('iframe.rendered');
    expect(await frame.getAttribute('sandbox')).not.toContain('allow-scripts');
    expect(await frame.contentFrame().locator('body').textContent()).toContain('Add ingestion endpoint <v2>');
    await shoot(page, ARTIFACTS + 'run-detail.png');
    seen.push(await page.content());

    // Config: hash, rooms and their join state.
    await page.getByRole('link', { name: 'Config', exact: true }).click();
    await page.waitForURL(`${d.url}/ui/config`);
    expect(await page.locator('dl.facts').textContent()).toContain(d.runtime.get().config.hash);
    expect(await page.locator('tbody tr').textContent()).toMatch(/news[\s\S]*#fn-registry-news:localhost[\s\S]*joined/);
    await shoot(page, ARTIFACTS + 'config.png');
    seen.push(await page.content());

    expect(seen.flatMap(noSecretIn)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('fits a phone screen', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, extraHTTPHeaders: { authorization: `Bearer ${TOKEN}` } });
    const page = await context.newPage();
    await page.goto(`${x.d.url}/ui/`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await shoot(page, ARTIFACTS + 'extractors-phone.png');
    await context.close();
  });

  it('refuses an unauthenticated browser with the locked page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const res = await page.goto(`${x.d.url}/ui/`);
    expect(res!.status()).toBe(401);
    expect(await page.locator('h1').textContent()).toBe('Locked');
    expect(await page.locator('table').count()).toBe(0);
    const wrong = await page.goto(`${x.d.url}/ui/?token=not-the-token`);
    expect(wrong!.status()).toBe(401);
    expect(await context.cookies()).toEqual([]);
    await page.screenshot({ path: ARTIFACTS + 'locked.png' });
    await context.close();
  });
});
