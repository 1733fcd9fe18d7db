import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectErrors, launchChromium, readShown, settled } from './helpers/browser.js';
import { expectShows } from './helpers/check-shown.js';
import { INITIAL, type Served, serveApp, type Values } from './helpers/serve.js';

let served: Served;
let browser: Browser;

beforeAll(async () => {
  served = await serveApp();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

describe('the dashboard in Chromium', () => {
  it('updates the charts, table and KPI cards from server-side callbacks as the controls change', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1100 } });
    const errors = collectErrors(page);
    await page.goto(served.url);
    let rounds = await settled(page, 0);

    const first = await readShown(page);
    expectShows(first, INITIAL);
    expect(first.monthsLabel).toBe('2025-01 – 2025-12');
    // Served in-process by a plain http server: every callback comes from this pid and nobody reports a count.
    expect(first.loggedPids.length).toBeGreaterThanOrEqual(3);
    expect(new Set(first.loggedPids)).toEqual(new Set([String(process.pid)]));
    expect(first.arbiterPid).toBe(String(process.ppid));
    expect(first.workerCount).toBe('—');

    // Dropdown: one region.
    await page.selectOption('#region', 'Europe');
    rounds = await settled(page, rounds);
    const europe: Values = { ...INITIAL, region: 'Europe' };
    expectShows(await readShown(page), europe);

    // Radio items: plot units instead of revenue.
    await page.click('label.pill:has-text("Units")');
    rounds = await settled(page, rounds);
    const units: Values = { ...europe, metric: 'units' };
    expectShows(await readShown(page), units);
    expect(await page.textContent('#line-chart')).not.toBeNull();
    expect((await page.locator('.metric-name').allTextContents()).sort()).toEqual(['Units', 'units']);

    // Range slider: drag both handles (fill sets the value and fires input + change, as a release does).
    await page.locator('#months input[data-handle="from"]').fill('6');
    rounds = await settled(page, rounds);
    await page.locator('#months input[data-handle="to"]').fill('11');
    rounds = await settled(page, rounds);
    const h2: Values = { ...units, months: [6, 11] };
    const afterSlider = await readShown(page);
    expectShows(afterSlider, h2);
    expect(afterSlider.monthsLabel).toBe('2024-07 – 2024-12');

    // Checklist: drop Services.
    await page.click('label.check:has-text("Services")');
    rounds = await settled(page, rounds);
    const final: Values = { ...h2, categories: ['Hardware', 'Software'] };
    const shown = await readShown(page);
    expectShows(shown, final);
    expect(shown.table).toHaveLength(4);
    expect(shown.pie.labels).toEqual(['Hardware', 'Software']);

    // Back to every region: one line per region again, on the narrowed months and categories.
    await page.selectOption('#region', 'all');
    rounds = await settled(page, rounds);
    const everywhere = await readShown(page);
    expectShows(everywhere, { ...final, region: 'all' });
    expect(everywhere.line).toHaveLength(4);

    const dir = mkdtempSync(join(tmpdir(), 'tgun-dashboard-'));
    const path = join(dir, 'dashboard.png');
    await page.screenshot({ path, fullPage: true });
    console.log('screenshot:', path);
    expect(statSync(path).size).toBeGreaterThan(20_000);

    expect(errors).toEqual([]);
    await page.close();
  });
});
