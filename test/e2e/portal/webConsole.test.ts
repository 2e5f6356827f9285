/**
 * The web console in Chromium (Debian's, through playwright-core) against the local host with keys
 * enforced: the page asks for the function key and refuses a wrong one in words; every replicated
 * item shows its state and RPO; an item shows its recovery points; a test failover from a chosen
 * point runs from the item's confirmation and its job reaches Succeeded on the page; so does its
 * cleanup; a failed job shows its error and recommended action. Screenshots of the Overview, an Item
 * and a Job go to `test-artifacts/`. The host serves the page, its scripts with their media types,
 * the page for the console's own routes, and refuses paths that climb out of its folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/clients.js';
import { FAILING_PLAN, ITEM_NAMES, preparePortalVault, type PortalVault } from './portalFixture.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(repoRoot, 'test-artifacts');
/** How long a state the page polls for may take to show (the page refreshes every 500 ms here). */
const SHOWS_WITHIN_MS = 45_000;

describe('the web console', () => {
  let v: PortalVault;
  let browser: Browser;
  let page: Page;
  /** What the page reported as errors besides refused requests (the 401s that open the key prompt). */
  const pageErrors: string[] = [];

  const nav = (name: string) => page.getByRole('navigation', { name: 'Vault' }).getByRole('link', { name, exact: true });
  const screenshot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
  const openJobOfNotice = async (): Promise<void> => {
    await page.getByRole('status').getByRole('link', { name: 'Open its job' }).click();
    await page.getByRole('heading', { level: 1, name: /Succeeded/ }).waitFor({ timeout: SHOWS_WITHIN_MS });
  };

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`The browser tests need Debian's chromium at ${CHROMIUM} (apt-get install -y chromium).`);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const launched = chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    v = await preparePortalVault();
    browser = await launched;
    page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/status of 401/.test(message.text())) pageErrors.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await v?.service.stop();
  });

  it('serves the page for its routes, its scripts by media type, and refuses what it does not have', async () => {
    const page = await fetch(v.portalUrl);
    expect([page.status, page.headers.get('content-type'), page.headers.get('cache-control')]).toEqual([200, 'text/html; charset=utf-8', 'no-cache']);
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
    const html = await page.text();
    const script = /<script type="module" crossorigin src="\/api\/portal\/([^"]+\.js)"/.exec(html)?.[1];
    expect(script, html).toBeDefined();
    const asset = await fetch(`${v.portalUrl}${script}`);
    expect([asset.status, asset.headers.get('content-type'), asset.headers.get('cache-control')]).toEqual([200, 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable']);
    expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
    // A route of the console (an item named with a dot included) is the page; a missing file is a 404 in the ARM envelope.
    expect(await (await fetch(`${v.portalUrl}subscriptions/x/resourceGroups/rg/vaults/v/items/f/c/web.01`)).text()).toBe(html);
    const missing = await fetch(`${v.portalUrl}assets/missing.js`);
    expect([missing.status, await missing.json()]).toEqual([404, { error: { code: 'NotFound', message: 'The console has no file "assets/missing.js".' } }]);
    for (const climbing of ['..%2F..%2Fpackage.json', 'assets/..%252F..%252F..%252Fpackage.json', 'assets%5C..%5C..%5Cpackage.json']) {
      const refused = await fetch(`${v.portalUrl}${climbing}`);
      expect([climbing, refused.status, ((await refused.json()) as { error: { code: string } }).error.code]).toEqual([climbing, 400, 'InvalidPath']);
    }
  });

  it('asks for the function key, refuses a wrong one in words, then opens the vault', async () => {
    await page.goto(`${v.portalUrl}?subscription=${v.p.sub}&pollMs=500`);
    const key = page.getByRole('dialog').getByRole('textbox', { name: 'Function key' });
    await key.fill('not-the-key');
    await page.getByRole('button', { name: 'Use this key' }).click();
    await expect.poll(() => page.getByRole('dialog').getByRole('alert').textContent()).toMatch(/The key was refused/);
    await key.fill(v.service.functionKey);
    await page.getByRole('button', { name: 'Use this key' }).click();
    // The only vault of the subscription opens at once.
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.getByRole('heading', { name: 'Jobs in the last 24 hours' }).waitFor();
    expect(await page.getByRole('region', { name: 'Replicated items' }).locator('.figure').textContent()).toBe(String(ITEM_NAMES.length));
    expect(page.url()).not.toContain(v.service.functionKey);
    await screenshot('portal-overview.png');
  });

  it('lists every replicated item with its state and RPO', async () => {
    await nav('Replicated items').click();
    const table = page.getByRole('table', { name: 'Replicated items' });
    await table.waitFor();
    for (const name of ITEM_NAMES) {
      const cells = await table.locator(`tr[data-item="${name}"] td`).allTextContents();
      const [shown, , state, health, rpo] = cells;
      expect([shown, state, health, rpo], name).toEqual([name, expect.stringMatching(/^(Protected|.*test failover.*)$/i), 'Normal', expect.stringMatching(/^\d+ s$/)]);
    }
    expect(await table.locator('tbody tr').count()).toBe(ITEM_NAMES.length);
  });

  it("opens an item and shows its recovery points, the first app-consistent, on the timeline and the RPO chart", async () => {
    await page.getByRole('link', { name: 'web-01', exact: true }).click();
    const summary = page.getByText(/\d+ recovery points? retained/);
    await summary.waitFor();
    const [, total, crash, app] = /(\d+) recovery points? retained: (\d+) crash-consistent, (\d+) app-consistent/.exec((await summary.textContent()) ?? '') ?? [];
    expect(Number(total)).toBeGreaterThanOrEqual(1);
    expect([Number(crash) + Number(app), Number(app)]).toEqual([Number(total), 1]);
    const listed = await page.getByRole('table', { name: 'Recovery points' }).locator('tbody tr td:nth-child(2)').allTextContents();
    expect(listed.length).toBe(Math.min(10, Number(total)));
    expect(listed.every((type) => type === 'Crash-consistent' || type === 'App-consistent')).toBe(true);
    expect(await page.locator('.chart canvas').count()).toBe(2);
    await screenshot('portal-item.png');
  });

  it('runs a test failover from a chosen recovery point and follows its job to Succeeded', async () => {
    await page.getByRole('toolbar', { name: 'Actions' }).getByRole('button', { name: 'Test failover' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.locator('#dialog-consequence').textContent()).toMatch(/A test virtual machine of web-01 is started at recovery-site/);
    await dialog.getByRole('radio', { name: /Custom/ }).check();
    const points = dialog.getByRole('combobox', { name: 'Recovery point' });
    const chosen = (await points.locator('option').nth(1).getAttribute('value')) ?? '';
    await points.selectOption(chosen);
    await dialog.getByRole('button', { name: 'Test failover' }).click();
    await openJobOfNotice();
    const bars = await page.getByRole('progressbar').all();
    expect(await Promise.all(bars.map((bar) => bar.getAttribute('aria-valuenow')))).toEqual(['100', '100', '100', '100']);
    await screenshot('portal-job.png');
    // The drill used the chosen point.
    const item = await v.p.sr.replicationProtectedItems.get(v.p.vault, v.p.rg, v.p.site, v.p.container, 'web-01');
    expect(item.properties?.allowedOperations).toContain('TestFailoverCleanup');
    const job = await v.p.sr.replicationJobs.get(v.p.vault, v.p.rg, page.url().split('/').at(-1) ?? '');
    expect([job.properties?.scenarioName, job.properties?.state, job.properties?.targetObjectName]).toEqual(['TestFailover', 'Succeeded', 'web-01']);
    expect(chosen).toMatch(/\/replicationProtectedItems\/web-01\/recoveryPoints\/[^/]+$/);
  });

  it('cleans the test failover up with notes, its job reaching Succeeded', async () => {
    await page.getByRole('link', { name: 'web-01', exact: true }).click();
    await page.getByRole('toolbar', { name: 'Actions' }).getByRole('button', { name: 'Cleanup test failover' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: /Notes/ }).fill('drill passed');
    await dialog.getByRole('button', { name: 'Cleanup test failover' }).click();
    await openJobOfNotice();
    await page.getByRole('link', { name: 'web-01', exact: true }).click();
    await page.getByRole('toolbar', { name: 'Actions' }).getByRole('button', { name: 'Test failover' }).waitFor({ timeout: SHOWS_WITHIN_MS });
    const item = await v.p.sr.replicationProtectedItems.get(v.p.vault, v.p.rg, v.p.site, v.p.container, 'web-01');
    expect([item.properties?.allowedOperations, item.properties?.lastSuccessfulTestFailoverTime]).toEqual([expect.arrayContaining(['TestFailover']), expect.any(Date)]);
  });

  it("shows a failed job's error, with its recommended action, and an API error in words", async () => {
    await v.failingPlanStarted;
    await nav('Jobs').click();
    await page.getByRole('combobox', { name: 'Status' }).selectOption('Failed');
    await page.getByRole('row', { name: new RegExp(FAILING_PLAN) }).getByRole('link').click({ timeout: SHOWS_WITHIN_MS });
    const errors = page.getByRole('region', { name: 'Errors' });
    await errors.waitFor({ timeout: SHOWS_WITHIN_MS });
    const text = (await errors.textContent()) ?? '';
    expect(text).toMatch(/RunbookTimedOut.*No answer from the runbook 'unanswered-runbook' within 2 s\./);
    expect(text).toMatch(/Recommended action: Fix what the action reported, then restart the recovery plan job\./);
    expect(await page.getByRole('toolbar', { name: 'Job actions' }).getByRole('button').allTextContents()).toEqual(['Restart']);

    await page.goto(`${page.url().split('/jobs/')[0]}/items/${v.p.site}/${v.p.container}/no-such-vm`);
    await expect.poll(() => page.getByRole('alert').first().textContent()).toBe('ResourceNotFound: Replication protected item "no-such-vm" was not found.');
  });

  it("changes the recovery VM's settings through the item's update, as a job", async () => {
    await page.goto(`${page.url().split('/items/')[0]}/items/${v.p.site}/${v.p.container}/app-01`);
    const name = page.getByRole('textbox', { name: 'Recovery VM name' });
    await expect.poll(() => name.inputValue()).toBe('app-01');
    await name.fill('app-01-dr');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await openJobOfNotice();
    const item = await v.p.sr.replicationProtectedItems.get(v.p.vault, v.p.rg, v.p.site, v.p.container, 'app-01');
    expect((item.properties?.providerSpecificDetails as { recoveryAzureVmName?: string } | undefined)?.recoveryAzureVmName).toBe('app-01-dr');
    // Nothing the page did was refused by its content security policy or threw.
    expect(pageErrors.filter((text) => !/status of 404/.test(text))).toEqual([]);
  });
});
