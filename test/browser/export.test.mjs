// Every tutorial exported by the real command (`lstm-notebook export … --to html`) and opened in
// Debian's Chromium with the network off (every request but the page itself is aborted and
// counted): each chart output of the notebook is drawn — an image of the SVG it carries, decoded,
// with a non-zero size — the code is highlighted, markdown and math rendered, and no console
// error, page error or blocked request occurred. A full-page screenshot of each lands in
// test-results/export-*.png.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../scripts/code-server/launch.mjs';
import { CHROMIUM, RESULTS, ROOT } from '../../scripts/code-server/paths.mjs';

const CHART_MIME = /^application\/vnd\.(lstm-notebook\.[a-z]+\+json|vegalite\.v\d+\+json)$/;
const PAGE_URL = 'http://export.invalid/page.html';
const notebooks = readdirSync(join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.ipynb'))
  .sort();
const folder = mkdtempSync(join(tmpdir(), 'lstm-export-'));

/** Chart outputs as the notebook holds them: display data with one of the chart MIME types. */
function chartOutputs(file) {
  const nb = JSON.parse(readFileSync(file, 'utf8'));
  return nb.cells
    .flatMap((cell) => cell.outputs ?? [])
    .filter((output) => Object.keys(output.data ?? {}).some((mime) => CHART_MIME.test(mime))).length;
}

let browser;
before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  mkdirSync(RESULTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  rmSync(folder, { recursive: true, force: true });
});

let totalCharts = 0;
for (const name of notebooks) {
  test(`${name} exported to HTML draws every chart offline, with no console error`, async () => {
    const out = join(folder, name.replace(/\.ipynb$/, '.html'));
    const run = spawnSync(
      process.execPath,
      [join(ROOT, 'bin', 'lstm-notebook.js'), 'export', join('examples', name), '--to', 'html', '--out', out],
      { cwd: ROOT, encoding: 'utf8' },
    );
    assert.equal(run.status, 0, run.stderr);
    const html = readFileSync(out, 'utf8');
    const expected = chartOutputs(join(ROOT, 'examples', name));

    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const blocked = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url === PAGE_URL) return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
      blocked.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    const errors = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('requestfailed', (request) => request.url() !== PAGE_URL && blocked.push(request.url()));
    try {
      await page.goto(PAGE_URL, { waitUntil: 'load' });
      const look = await page.evaluate(async () => {
        const charts = [...document.querySelectorAll('figure.chart')];
        const images = charts.map((figure) => figure.querySelector('img'));
        await Promise.all(images.map((img) => img?.decode().catch(() => undefined)));
        return {
          charts: charts.map((figure, i) => {
            const box = (images[i] ?? figure).getBoundingClientRect();
            const natural = images[i] ? images[i].naturalWidth * images[i].naturalHeight : null;
            return { natural, width: box.width, height: box.height, mime: figure.dataset.mime };
          }),
          highlighted: document.querySelectorAll('pre.source .hljs-keyword').length,
          codeCells: document.querySelectorAll('section.cell.code').length,
          markdownCells: document.querySelectorAll('section.cell.markdown').length,
          headings: document.querySelectorAll('section.cell.markdown h1, section.cell.markdown h2').length,
          math: document.querySelectorAll('math').length,
          mathWidth: Math.max(0, ...[...document.querySelectorAll('math')].map((m) => m.getBoundingClientRect().width)),
          scripts: document.querySelectorAll('script').length,
          outputs: document.querySelectorAll('.output').length,
        };
      });
      await page.screenshot({ path: join(RESULTS, `export-${name.replace(/\.ipynb$/, '')}.png`), fullPage: true });

      assert.equal(
        look.charts.length,
        expected,
        `${expected} chart outputs in the notebook, ${look.charts.length} charts in the page`,
      );
      look.charts.forEach((chart, i) => {
        assert.ok(
          chart.natural === null || chart.natural > 0,
          `chart ${i + 1} (${chart.mime}): its SVG did not decode`,
        );
        assert.ok(
          chart.width > 100 && chart.height > 50,
          `chart ${i + 1} (${chart.mime}) is ${chart.width}×${chart.height}`,
        );
      });
      assert.ok(look.codeCells > 0 && look.highlighted > 0, 'code cells highlighted');
      assert.ok(look.markdownCells > 0 && look.headings > 0, 'markdown rendered');
      assert.ok(look.outputs > 0, 'outputs shown');
      assert.equal(look.scripts, 0, 'the page carries no script');
      if (html.includes('<math')) assert.ok(look.mathWidth > 0, 'MathML drawn');
      assert.deepEqual(errors, [], 'console errors');
      assert.deepEqual(blocked, [], 'requests beyond the page');
      totalCharts += expected;
    } finally {
      await context.close();
    }
  });
}

test('the tutorials hold charts, and every one was checked', () => {
  assert.ok(totalCharts >= notebooks.length, `${totalCharts} charts in ${notebooks.length} tutorials`);
  console.log(`# ${totalCharts} charts drawn in ${notebooks.length} exported tutorials`);
});
