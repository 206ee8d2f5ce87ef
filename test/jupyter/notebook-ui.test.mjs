// A real Jupyter front end draws what our kernel sends: Jupyter Notebook (Debian's
// jupyter-notebook 6.4) in headless Chromium, driven through its menus as a user would. A
// tutorial opened there starts our kernel from its kernelspec ("LSTM (TypeScript)"), Cell → Run
// All runs every cell without an error and the charts are drawn (their SVG: Notebook 6 has no
// vega-lite renderer, so this is the fallback every front end can show); Kernel → Interrupt
// stops a `while (true) {}` typed into a new cell, and the variables stay. Run by run.mjs, which
// installs the kernelspec and sets JUPYTER_PATH. Screenshots go to test-results/.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, freePort } from '../../scripts/code-server/launch.mjs';
import { CHROMIUM, RESULTS, ROOT } from '../../scripts/code-server/paths.mjs';

const TUTORIAL = '05-forecasting.ipynb';
let server;
let browser;
let page;
let dir;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lstm-notebook-jupyter-ui-'));
  cpSync(join(ROOT, 'examples', TUTORIAL), join(dir, TUTORIAL));
  cpSync(join(ROOT, 'examples', 'data'), join(dir, 'data'), { recursive: true });
  const port = await freePort();
  server = spawn(
    '/usr/bin/jupyter-notebook',
    [
      '--no-browser',
      `--port=${port}`,
      '--ip=127.0.0.1',
      '--allow-root',
      '--NotebookApp.token=',
      '--NotebookApp.password=',
      `--notebook-dir=${dir}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  server.stderr.on('data', (chunk) => (log += chunk));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    const up = await fetch(`${url}/api`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > until) throw new Error(`jupyter notebook did not start within 60 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
  await page.goto(`${url}/notebooks/${TUTORIAL}`);
  mkdirSync(RESULTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Every code cell's prompt has a number (none pending, none empty), or `ms` passes. */
async function untilAllRan(ms) {
  const until = Date.now() + ms;
  for (;;) {
    const prompts = await page.locator('.code_cell .input_prompt').allInnerTexts();
    if (prompts.length > 0 && prompts.every((p) => /\[\d+\]/.test(p))) return prompts.length;
    assert.ok(Date.now() < until, `cells still pending after ${ms / 1000} s: ${JSON.stringify(prompts)}`);
    await page.waitForTimeout(500);
  }
}

test(
  'a tutorial in Jupyter Notebook: our kernel starts from its kernelspec, Run All draws every chart',
  { timeout: 180_000 },
  async () => {
    await page.locator('#kernel_indicator_icon.kernel_idle_icon').waitFor({ timeout: 60_000 });
    assert.equal((await page.locator('.kernel_indicator_name').innerText()).trim(), 'LSTM (TypeScript)');
    // Outputs as committed are on the page already: clear them, so what is drawn is this run's.
    await page.locator('#celllink').click();
    await page.locator('#all_outputs').hover();
    await page.locator('#clear_all_output').click();
    assert.equal(await page.locator('.output_svg svg').count(), 0);
    await page.locator('#celllink').click();
    await page.locator('#run_all_cells').click();
    const cells = await untilAllRan(120_000);
    await page.locator('#kernel_indicator_icon.kernel_idle_icon').waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(RESULTS, 'jupyter-notebook-run-all.png'), fullPage: true });
    assert.equal(await page.locator('.output_error').count(), 0, 'a cell shows an error');
    const charts = await page.locator('.output_svg svg .mark-line, .output_svg svg .mark-symbol').count();
    console.log(`jupyter notebook: ${cells} code cells ran, ${charts} chart mark groups drawn`);
    assert.ok(charts > 0, 'no chart was drawn');
  },
);

test('Kernel → Interrupt stops a loop typed into a new cell; its variables stay', { timeout: 120_000 }, async () => {
  const last = page.locator('.code_cell').last();
  await last.click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('b'); // command mode: a new cell below
  await page.keyboard.press('Enter'); // edit it
  await page.keyboard.type('let spins = 0;\nwhile (true) { spins++; }');
  await page.keyboard.press('Control+Enter');
  await page.locator('#kernel_indicator_icon.kernel_busy_icon').waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1000);
  await page.locator('#kernellink').click();
  await page.locator('#int_kernel').click();
  const error = page.locator('.code_cell').last().locator('.output_error');
  await error.waitFor({ timeout: 30_000 });
  assert.match(await error.innerText(), /Interrupted/);
  await page.keyboard.press('Escape');
  await page.keyboard.press('b');
  await page.keyboard.press('Enter');
  await page.keyboard.type("spins > 0 ? 'kept' : 'lost'");
  await page.keyboard.press('Control+Enter');
  const result = page.locator('.code_cell').last().locator('.output_result');
  await result.waitFor({ timeout: 30_000 });
  assert.equal((await result.innerText()).trim(), "'kept'");
  await page.screenshot({ path: join(RESULTS, 'jupyter-notebook-interrupt.png') });
});
