// A model's summary table (plot/format/summary.ts) as VS Code shows a text/html output, in
// headless Chromium, in a light, a dark and a high-contrast theme: its text takes the theme's
// editor foreground and its rules the theme's widget border (each theme's own colours, set as
// VS Code sets them, as CSS variables), no script runs, and the table is readable in all three
// (screenshots in test-results/summary-*.png).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../scripts/code-server/launch.mjs';
import { CHROMIUM, RESULTS, ROOT } from '../../scripts/code-server/paths.mjs';

const core = await import(join(ROOT, 'out', 'core', 'index.js'));
const { modelSummary, summaryHtml } = await import(join(ROOT, 'out', 'plot', 'format', 'summary.js'));

// Colours of VS Code's default themes (Light+, Dark+, High Contrast), as the notebook's output
// webview receives them.
const THEMES = {
  light: { class: 'vscode-light', background: '#ffffff', foreground: '#3b3b3b', border: '#c8c8c8' },
  dark: { class: 'vscode-dark', background: '#1f1f1f', foreground: '#cccccc', border: '#454545' },
  'high-contrast': { class: 'vscode-high-contrast', background: '#000000', foreground: '#ffffff', border: '#6fc3df' },
};

let browser;
let page;
before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 700, height: 520 } });
});
after(() => browser?.close());

/** `#rrggbb` as the `rgb(r, g, b)` getComputedStyle gives. */
const rgb = (hex) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

for (const [name, theme] of Object.entries(THEMES)) {
  test(`the summary table in the ${name} theme: the theme's foreground and border, no script`, async () => {
    const html = summaryHtml(
      modelSummary([new core.LSTM({ inputSize: 3, hiddenSize: 8, numLayers: 2 }), new core.Linear(8, 2)]),
    );
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setContent(
      `<!doctype html><html><body class="${theme.class}" style="background:${theme.background};` +
        `--vscode-editor-foreground:${theme.foreground};--vscode-editorWidget-border:${theme.border};` +
        `--vscode-editor-font-family:monospace;--vscode-editor-font-size:13px">${html}</body></html>`,
    );
    const look = await page.evaluate(() => {
      const table = document.querySelector('table.lstm-summary');
      const cell = table.querySelector('tbody td');
      return {
        color: getComputedStyle(cell).color,
        border: getComputedStyle(cell).borderBottomColor,
        rows: table.querySelectorAll('tbody tr').length,
        scripts: document.querySelectorAll('script').length,
        total: [...table.querySelectorAll('tr.total td')].map((td) => td.textContent),
      };
    });
    assert.equal(look.color, rgb(theme.foreground));
    assert.equal(look.border, rgb(theme.border));
    assert.equal(look.scripts, 0);
    // Two module rows, 8 + 2 parameter rows, 2 layer subtotals, the total.
    assert.equal(look.rows, 15);
    // LSTM(3 → 8, 2 layers): 32·3 + 32·8 + 64 = 416, then 32·8 + 32·8 + 64 = 576; head 16 + 2.
    assert.deepEqual(look.total, ['total (2 modules)', '', '1,010']);
    assert.deepEqual(errors, []);
    mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: join(RESULTS, `summary-${name}.png`) });
  });
}
