// End-to-end through the UI of a real VS Code (code-server + Chromium), with the packaged
// .vsix installed as a user would: open a tutorial notebook, Run All, every cell succeeds and
// the charts are drawn in the output webview; interrupt a running cell from the toolbar and
// find its variables kept (in the cell and in the Variables view); restart from the toolbar and
// find them gone; type `model.` in a cell and see the suggest widget offer the members of a
// model declared in an earlier cell; brush
// units in a gates chart and find them in the next cell's plot.selection().
// Screenshots go to test-results/.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { packageVsix } from '../../scripts/package.mjs';
import { CHROMIUM_ARGS, startCodeServer } from '../../scripts/code-server/launch.mjs';
import { install } from '../../scripts/code-server/install.mjs';
import { CHROMIUM, RESULTS, ROOT } from '../../scripts/code-server/paths.mjs';

const TUTORIAL = process.env.LSTM_NOTEBOOK_E2E_TUTORIAL ?? '01-inside-one-lstm-cell.ipynb';
let server;
let browser;
let page;

before(async () => {
  install();
  const vsix = await packageVsix();
  const workspace = mkdtempSync(join(tmpdir(), 'lstm-notebook-e2e-'));
  cpSync(join(ROOT, 'examples', TUTORIAL), join(workspace, TUTORIAL));
  for (const fixture of ['interrupt.ipynb', 'completions.ipynb', 'debug-gates.ipynb', 'brush.ipynb'])
    cpSync(join(ROOT, 'test', 'e2e', 'fixtures', fixture), join(workspace, fixture));
  // A debugger stop would move the focus to the paused line while the palette is being typed
  // into, sending the keys (Enter, say) into a cell: the tests click where they mean to type.
  server = await startCodeServer({ vsix, settings: { 'debug.focusEditorOnBreak': false } });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  mkdirSync(RESULTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.stop();
});

/**
 * Opens a notebook from the explorer. Until the built-in ipynb support has activated, VS Code
 * opens an .ipynb as JSON text: then the tab is closed and the file opened again.
 */
async function openNotebook(name) {
  // One notebook at a time, so there is one output webview to look into.
  await page.keyboard.press('F1');
  await page.keyboard.type('View: Close All Editors');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(500);
  const row = page.locator(`.explorer-folders-view .monaco-list-row[aria-label^="${name}"]`);
  // An earlier test may have left another view in the side bar (Run and Debug): show the explorer.
  if (!(await row.isVisible())) await runCommand('View: Show Explorer');
  await row.waitFor({ timeout: 30_000 });
  const until = Date.now() + 90_000;
  for (;;) {
    await row.dblclick();
    const opened = await page
      .locator('.notebook-editor:visible')
      .first()
      .waitFor({ timeout: 5_000 })
      .then(
        () => true,
        () => false,
      );
    if (opened) return;
    if (Date.now() > until) {
      await page.screenshot({ path: join(RESULTS, `e2e-open-${name}.png`) });
      throw new Error(`${name} did not open in the notebook editor within 90 s`);
    }
    await page
      .locator('.tab.active .action-label.codicon-close')
      .click()
      .catch(() => {});
    await page.waitForTimeout(2000);
  }
}

/** Run All; if VS Code asks which kernel (our controller may register after the editor opened), pick ours. */
async function runAll() {
  await toolbarButton('Run All').click();
  const picker = page.locator('.quick-input-widget:visible', { hasText: 'Select Kernel' });
  const running = editor().locator(
    '.cell-statusbar-container .codicon-notebook-state-executing, .cell-statusbar-container .codicon-notebook-state-success',
  );
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    if (await picker.count()) {
      await picker.locator('.monaco-list-row', { hasText: 'LSTM (TypeScript)' }).first().click();
      return;
    }
    if (await running.count()) return;
    await page.waitForTimeout(200);
  }
}

/**
 * Runs a command from the palette by its title: waits until its row is the focused one (on a
 * loaded machine the list lags the typing, and Enter would run whatever was first), then Enter.
 * Escape first: in the paused debugger's console it only closes what is open.
 */
async function runCommand(title) {
  // Right after a debugger stop VS Code moves focus, and a palette opened at that moment can close
  // again: then open it once more. Text and keys go to the palette's own input (never to whatever
  // has the focus, which would type the title into a cell).
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget:visible .quick-input-box input').first();
    // The focused row, once it is ours: the list re-renders as it filters, so Enter (not a click on a moving row).
    const row = page.locator('.quick-input-widget:visible .monaco-list-row.focused', { hasText: title }).first();
    const offered =
      (await input.waitFor({ timeout: 5_000 }).then(
        () => true,
        () => false,
      )) &&
      (await input.fill(`>${title}`, { timeout: 2_000 }).then(
        () => true,
        () => false,
      )) &&
      (await row.waitFor({ timeout: 5_000 }).then(
        () => true,
        () => false,
      ));
    if (
      offered &&
      (await input.press('Enter', { timeout: 2_000 }).then(
        () => true,
        () => false,
      ))
    )
      return;
    if (attempt === 3) {
      await page.screenshot({ path: join(RESULTS, 'e2e-no-command.png') });
      throw new Error(`the command palette did not offer "${title}" first in 3 attempts`);
    }
  }
}

const editor = () => page.locator('.notebookOverlay:visible').first();
const toolbarButton = (label) =>
  editor()
    .locator(
      `.notebook-toolbar-left a.action-label[aria-label="${label}"], .notebook-toolbar-container a.action-label[aria-label="${label}"]`,
    )
    .first();
const cellStates = async (state) =>
  editor().locator(`.cell-statusbar-container .codicon-notebook-state-${state}`).count();

/** Waits until `count` cells show success, failing at once if one shows an error, or after `ms` with `what`. */
async function untilSucceeded(count, ms, what) {
  const until = Date.now() + ms;
  while ((await cellStates('success')) < count) {
    assert.equal(await cellStates('error'), 0, 'a cell failed');
    assert.ok(Date.now() < until, what);
    await page.waitForTimeout(500);
  }
}

test('a tutorial notebook: Run All succeeds in every cell and the charts are drawn', { timeout: 300_000 }, async () => {
  await openNotebook(TUTORIAL);
  // The file carries the outputs and run states of its last run: clear them, so that what we
  // check below can only come from this run.
  await toolbarButton('Clear All Outputs').click();
  await page.waitForTimeout(1000);
  assert.equal(await cellStates('success'), 0, 'cells still show a success state after Clear All Outputs');
  assert.equal(
    await page
      .frameLocator('.notebookOverlay iframe.webview')
      .frameLocator('#active-frame')
      .locator('.lstm-chart')
      .count(),
    0,
  );
  await runAll();
  const codeCells = await editor().locator('.code-cell-row').count();
  await untilSucceeded(codeCells, 240_000, 'Run All did not finish in 4 minutes');
  // The last cell draws the gate heatmaps: bring it into view, then look inside the webview.
  // The notebook list is virtual: scroll with the wheel until the heatmap's output is laid out.
  const webview = page.frameLocator('.notebookOverlay iframe.webview').frameLocator('#active-frame');
  const heatmap = webview.locator('.lstm-chart.lstm-gates canvas');
  const box0 = await editor().boundingBox();
  await page.mouse.move(box0.x + box0.width / 2, box0.y + box0.height / 2);
  for (let k = 0; k < 60 && (await heatmap.count()) === 0; k++) {
    await page.mouse.wheel(0, 800);
    await page.waitForTimeout(150);
  }
  await heatmap
    .first()
    .waitFor({ state: 'attached', timeout: 30_000 })
    .catch(async (error) => {
      await page.screenshot({ path: join(RESULTS, 'e2e-no-heatmap.png') });
      const text = await webview
        .locator('body')
        .innerText()
        .catch(() => '(no webview)');
      throw new Error(`${error.message}\nwebview text: ${text.slice(-1500)}`);
    });
  for (let k = 0; k < 4; k++) {
    await page.mouse.wheel(0, 300);
    await page.waitForTimeout(150);
  }
  const box = await heatmap.first().evaluate((canvas) => ({ width: canvas.width, height: canvas.height }));
  assert.ok(box.width > 300 && box.height > 300, `the gate heatmap canvas is ${box.width} × ${box.height}`);
  // The training cell drew its loss curve live (train(…, { plot: true })). Its output sits
  // above the heatmap and is drawn asynchronously (vega), and the webview may not have laid it
  // out if the wheel went past it quickly: scroll back up until it is there, then wait for it.
  const loss = webview.locator('.lstm-chart.lstm-loss canvas');
  for (let k = 0; k < 40 && (await loss.count()) === 0; k++) {
    await page.mouse.wheel(0, -400);
    await page.waitForTimeout(250);
  }
  await loss
    .first()
    .waitFor({ state: 'attached', timeout: 30_000 })
    .catch(async () => {
      await page.screenshot({ path: join(RESULTS, 'e2e-no-loss-chart.png') });
      assert.fail('no loss chart in the output webview');
    });
  assert.equal(await webview.locator('.lstm-error').count(), 0, 'a chart shows an error box');
  await page.screenshot({ path: join(RESULTS, 'e2e-run-all.png') });
});

test(
  'interrupt from the toolbar stops a hard loop and keeps its variables; restart loses them',
  { timeout: 120_000 },
  async () => {
    await openNotebook('interrupt.ipynb');
    await runAll();
    await editor()
      .locator('.cell-statusbar-container .codicon-notebook-state-executing, .cell-statusbar-container .codicon-sync')
      .first()
      .waitFor({ timeout: 30_000 })
      .catch(async (error) => {
        await page.screenshot({ path: join(RESULTS, 'e2e-run-interrupt.png') });
        throw error;
      });
    await page.waitForTimeout(1000);
    await toolbarButton('Interrupt').click();
    await editor()
      .locator('.cell-statusbar-container .codicon-notebook-state-error')
      .first()
      .waitFor({ timeout: 10_000 });
    const outputs = page.frameLocator('.notebookOverlay iframe.webview').frameLocator('#active-frame');
    await outputs.getByText('Interrupted', { exact: false }).first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(RESULTS, 'e2e-interrupted.png') });
    // Run the third cell: its output shows the loop's variable survived.
    const third = editor().locator('.code-cell-row').nth(2);
    const runThird = async () => {
      await third.hover();
      await third.locator('.run-button-container a.action-label').first().click();
    };
    await runThird();
    await outputs
      .getByText("'kept number'")
      .waitFor({ timeout: 20_000 })
      .catch(async (error) => {
        await page.screenshot({ path: join(RESULTS, 'e2e-after-interrupt.png') });
        throw error;
      });
    // The notebook toolbar's Variables button: the panel's view lists the kept variable.
    await toolbarButton('Show Variables').click();
    const panel = page.locator('.part.panel');
    const spinsRow = panel.locator('.monaco-list-row', { hasText: 'spins' });
    await spinsRow
      .first()
      .waitFor({ timeout: 20_000 })
      .catch(async (error) => {
        await page.screenshot({ path: join(RESULTS, 'e2e-no-variables.png') });
        throw error;
      });
    assert.match(await spinsRow.first().innerText(), /^spins\s*number · \d+$/);
    await page.screenshot({ path: join(RESULTS, 'e2e-variables.png') });
    await toolbarButton('Restart Kernel').click();
    // After the restart the view is empty and says why.
    await panel.getByText('No variables yet', { exact: false }).waitFor({ timeout: 20_000 });
    await spinsRow
      .first()
      .waitFor({ state: 'detached', timeout: 10_000 })
      .catch(() => assert.fail('spins is still listed 10 s after the restart'));
    await runThird();
    await outputs.getByText('spins is not defined').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(RESULTS, 'e2e-restarted.png') });
  },
);

test(
  "typing `model.` in a cell opens the suggest widget with the members of an earlier cell's LSTM",
  { timeout: 120_000 },
  async () => {
    await openNotebook('completions.ipynb');
    // The second (empty) cell's editor: click into it and type as a user would.
    const secondCell = editor().locator('.code-cell-row').nth(1).locator('.monaco-editor .view-lines');
    await secondCell.click();
    const typed = Date.now();
    await page.keyboard.type('model.', { delay: 50 });
    const suggest = page.locator('.suggest-widget.visible');
    const forward = suggest.locator('.monaco-list-row', { hasText: 'forward' });
    // The language worker starts with the notebook; its first answer may take a few seconds on a
    // loaded machine. While the widget has not shown the member, ask again: click back into the
    // cell (Escape would leave the cell's editor), go to the end of the line, Ctrl+Space.
    const until = Date.now() + 60_000;
    let askedAgain = 0;
    while ((await forward.count()) === 0) {
      if (Date.now() > until) {
        await page.screenshot({ path: join(RESULTS, 'e2e-no-completions.png') });
        const rows = await suggest
          .locator('.monaco-list-row')
          .allInnerTexts()
          .catch(() => []);
        throw new Error(
          `no 'forward' in the suggest widget within 60 s; it showed: ${JSON.stringify(rows.slice(0, 10))}`,
        );
      }
      await page.waitForTimeout(1000);
      if ((await forward.count()) > 0) break;
      await secondCell.click();
      await page.keyboard.press('End');
      await page.keyboard.press('Control+Space');
      askedAgain++;
    }
    console.log(
      `e2e: 'forward' in the suggest widget ${Date.now() - typed} ms after typing model. (first request of the notebook; asked again ${askedAgain} times)`,
    );
    await page.keyboard.type('stateD', { delay: 50 });
    await suggest.locator('.monaco-list-row', { hasText: 'stateDict' }).first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(RESULTS, 'e2e-completions.png') });
    await page.keyboard.press('Escape');

    // In-cell names: the built-in TypeScript knows them too, and stays quiet (our tsserver plugin,
    // from the installed .vsix): `charAt` is listed once, not twice.
    await page.keyboard.press('End');
    await page.keyboard.type("\nconst s = 'abc';\ns.char", { delay: 30 });
    const charAt = suggest.locator('.monaco-list-row .label-name', { hasText: /^charAt$/ });
    await charAt.first().waitFor({ timeout: 20_000 });
    await page.waitForTimeout(1_000); // a second provider's answer would have arrived by now
    assert.equal(await charAt.count(), 1, 'charAt rows in the suggest widget');
    await page.keyboard.press('Escape');
  },
);

test(
  'Debug Cell pauses a training loop; Show Gates draws the gates of the paused state into the cell (screenshot)',
  { timeout: 180_000 },
  async () => {
    await openNotebook('debug-gates.ipynb');
    // Run All first (without a debugger the `debugger` statement does nothing): the kernel is chosen and set up.
    await runAll();
    await untilSucceeded(2, 120_000, 'Run All did not finish in 2 minutes');
    // The training cell, under the debugger: select it, then Debug Cell from the command palette.
    await editor().locator('.code-cell-row').nth(1).locator('.monaco-editor .view-lines').click();
    await runCommand('LSTM Notebook: Debug Cell');
    const toolbar = page.locator('.debug-toolbar');
    await toolbar.waitFor({ state: 'visible', timeout: 60_000 });
    // Paused at `debugger`, after model.forward(probe): show the model's gates (its last input, now).
    await page.waitForTimeout(1000);
    await runCommand("LSTM Notebook: Show Gates in the Cell's Output");
    // The input box that asks for the expression (not the command palette closing before it).
    const asking = page.locator('.quick-input-widget:visible', { hasText: 'A model, a trace, or a forward result' });
    await asking.waitFor({ timeout: 15_000 }).catch(async (error) => {
      await page.screenshot({ path: join(RESULTS, 'e2e-no-show-gates-input.png') });
      throw error;
    });
    await asking.locator('input').fill('model');
    await asking.locator('input').press('Enter');
    const webview = page.frameLocator('.notebookOverlay iframe.webview').frameLocator('#active-frame');
    const heatmap = webview.locator('.lstm-chart.lstm-gates canvas');
    await heatmap
      .first()
      .waitFor({ state: 'attached', timeout: 30_000 })
      .catch(async (error) => {
        await page.screenshot({ path: join(RESULTS, 'e2e-no-paused-gates.png') });
        throw error;
      });
    // Still paused while the chart is there: the debug toolbar shows, the cell is still running.
    assert.ok(await toolbar.isVisible(), 'the debugger is still paused');
    assert.equal(await cellStates('executing'), 1, 'the training cell is still running');
    // The variables view: the Notebook scope lists the cells' names, models and tensors described.
    await runCommand('View: Show Run and Debug');
    await runCommand('View: Toggle Panel Visibility'); // room for the chart
    const variables = page.locator('.debug-variables .monaco-list-row');
    const notebookScope = variables.filter({ hasText: /^Notebook$/ }).first();
    await notebookScope.waitFor({ timeout: 15_000 });
    if ((await notebookScope.getAttribute('aria-expanded')) !== 'true') await notebookScope.click();
    await variables
      .filter({ hasText: 'LSTM(2 → 16)' })
      .first()
      .waitFor({ timeout: 15_000 })
      .catch(async (error) => {
        await page.screenshot({ path: join(RESULTS, 'e2e-no-notebook-scope.png') });
        throw error;
      });
    await variables.filter({ hasText: 'Tensor [20, 1, 2] float32' }).first().waitFor({ timeout: 5_000 });
    await page.waitForTimeout(1000);
    await page.screenshot({ path: join(RESULTS, 'e2e-paused-gates.png') });
    // Stop debugging: the worker resumes, the loop runs to its end, the chart stays.
    await page.keyboard.press('Shift+F5');
    await untilSucceeded(2, 60_000, 'the training cell did not finish after the debugger stopped');
    assert.ok((await heatmap.count()) >= 1, 'the gates chart stays in the output');

    // Run by Line on the first cell, by keys: it stops at line 1, F10 steps to line 2, Ctrl+Enter runs the rest.
    const firstCell = editor().locator('.code-cell-row').nth(0).locator('.monaco-editor .view-lines');
    await firstCell.click();
    await runCommand('LSTM Notebook: Run by Line');
    const topLine = page.locator('.debug-call-stack .monaco-list-row .line-number').first();
    const atLine = async (line) => {
      const until = Date.now() + 30_000;
      // line:column; the column is where the line's first statement starts running (an import's call, say).
      while (!(await topLine.textContent().catch(() => ''))?.startsWith(`${line}:`)) {
        if (Date.now() > until) {
          await page.screenshot({ path: join(RESULTS, 'e2e-run-by-line.png') });
          assert.fail(`Run by Line: not paused at line ${line} (the stack shows ${await topLine.textContent()})`);
        }
        await page.waitForTimeout(200);
      }
    };
    await atLine(1);
    await page.waitForTimeout(500);
    await page.keyboard.press('F10');
    await atLine(2);
    await firstCell.click(); // the notebook editor focused: Ctrl+Enter is ours while running by line
    await page.keyboard.press('Control+Enter');
    await toolbar.waitFor({ state: 'hidden', timeout: 30_000 });
    await untilSucceeded(2, 30_000, 'the cell run by line did not finish after Ctrl+Enter');
  },
);

test(
  'a brush across steps of a gates chart in the output webview is what the next cell gets from plot.selection()',
  { timeout: 180_000 },
  async () => {
    await openNotebook('brush.ipynb');
    await runAll();
    await untilSucceeded(2, 120_000, 'Run All did not finish in 2 minutes');
    const webview = page.frameLocator('.notebookOverlay iframe.webview').frameLocator('#active-frame');
    const heatmap = webview.locator('.lstm-chart.lstm-gates canvas').first();
    await heatmap.waitFor({ state: 'attached', timeout: 30_000 });
    await webview.getByText('no selection').first().waitFor({ timeout: 10_000 });
    // A low threshold, so the brushed span selects some of the 32 units.
    const threshold = webview.locator('.lstm-brush input[name=threshold]');
    await threshold.fill('0.2');
    await threshold.dispatchEvent('change');
    // The h panel is the chart's only heatmap: find two points on it by the tooltip, which names the step under the pointer.
    const box = await heatmap.boundingBox();
    const tooltip = webview.locator('.lstm-tooltip');
    const stepAt = async (fx, fy) => {
      await page.mouse.move(box.x + fx * box.width, box.y + fy * box.height);
      await page.waitForTimeout(200);
      const m = /step (\d+)/.exec((await tooltip.textContent().catch(() => '')) ?? '');
      return (await tooltip.isVisible()) && m ? Number(m[1]) : null;
    };
    let start = null;
    let fy = 0.15;
    for (; fy < 0.7 && start === null; fy += 0.05) start = await stepAt(0.3, fy);
    fy -= 0.05;
    assert.notEqual(start, null, 'no point of the heatmap found by its tooltip');
    const end = await stepAt(0.38, fy);
    assert.ok(end !== null && end > start, `steps ${start} … ${end}`);
    await page.mouse.move(box.x + 0.3 * box.width, box.y + fy * box.height);
    await page.mouse.down();
    await page.mouse.move(box.x + 0.34 * box.width, box.y + fy * box.height, { steps: 4 });
    await page.mouse.move(box.x + 0.38 * box.width, box.y + fy * box.height, { steps: 4 });
    await page.mouse.up();
    const listed = await webview.locator('.lstm-selection-units').textContent({ timeout: 10_000 });
    const m = /^hidden state h_t, steps (\d+)–(\d+): \d+ units?(?: — ([\d, ]+))?$/.exec(listed ?? '');
    assert.ok(m, `the selection's listing: ${listed}`);
    assert.deepEqual([Number(m[1]), Number(m[2])], [start, end]);
    const units = (m[3] ?? '').split(', ').filter(Boolean).join(',');
    await page.screenshot({ path: join(RESULTS, 'e2e-brush.png') });

    // Run the second cell again: the kernel has the brushed units, and recomputes the same from the trace.
    const second = editor().locator('.code-cell-row').nth(1);
    await second.hover();
    await second.locator('.run-button-container a.action-label').first().click();
    const expected = `brushed ${units} | again ${units} | steps ${start}-${end + 1}`;
    await webview
      .getByText(expected)
      .first()
      .waitFor({ timeout: 20_000 })
      .catch(async (error) => {
        await page.screenshot({ path: join(RESULTS, 'e2e-brush-selection.png') });
        throw new Error(`${error.message}\nexpected the cell to print: ${expected}`);
      });
  },
);
