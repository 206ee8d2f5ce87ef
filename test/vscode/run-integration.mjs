// Runs the mocha suite (out/test/integration/index.js) inside VS Code's extension host, with
// this repository as the extension under development — the @vscode/test-electron contract —
// through code-server and Chromium. Exit code = the suite's.
//   node test/vscode/run-integration.mjs [--untrusted] [--files kernel,extension] [--workspace DIR]
// --untrusted enforces workspace trust (the folder opens in restricted mode) and runs the
// untrusted*.test.js files; without it trust is off and every other file runs (see index.ts).
// --files picks files by name prefix instead; --workspace opens DIR instead of an empty folder.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, startCodeServer } from '../../scripts/code-server/launch.mjs';
import { install } from '../../scripts/code-server/install.mjs';
import { CHROMIUM, RESULTS, ROOT } from '../../scripts/code-server/paths.mjs';

/** The line test/integration/index.ts prints (its SUITE_END_MARKER) once mocha has finished. */
const SUITE_END_MARKER = 'LSTM_NOTEBOOK_INTEGRATION_SUITE_END';

/** env: extra variables for the extension host (code-server passes its environment on). */
export async function runIntegration({ untrusted = false, files, workspace, env = {} } = {}) {
  install();
  if (!workspace) {
    workspace = mkdtempSync(join(tmpdir(), 'lstm-notebook-workspace-'));
    writeFileSync(join(workspace, 'README.md'), 'integration test workspace\n');
  }
  const server = await startCodeServer({
    trust: !untrusted,
    smokeDriver: true,
    env: { ...env, LSTM_NOTEBOOK_TEST_FILES: files ?? '', LSTM_NOTEBOOK_UNTRUSTED: untrusted ? '1' : '' },
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const exit = new Promise((resolve) => page.exposeFunction('codeAutomationExit', (code) => resolve(code)));
    // VS Code logs as (level, printf-format, ...values); the workbench's own noise is cut to one line.
    let suiteEnded = false;
    await page.exposeFunction('codeAutomationLog', (...raw) => {
      let [level, ...args] = raw.length === 1 && Array.isArray(raw[0]) ? raw[0] : raw;
      if (args.length === 1 && Array.isArray(args[0])) args = args[0];
      const text = format(...args);
      if (text.includes(SUITE_END_MARKER)) suiteEnded = true;
      console.log(level === 'error' ? `  [vscode ${level}] ${text.split('\n')[0]}` : text);
    });
    const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
    const payload = [
      ['extensionDevelopmentPath', remote(ROOT)],
      ['extensionTestsPath', remote(join(ROOT, 'out', 'test', 'integration', 'index.js'))],
    ];
    await page.goto(
      `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`,
    );
    const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 8 * 60_000));
    const code = await Promise.race([exit, timeout]);
    mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: join(RESULTS, `integration${untrusted ? '-untrusted' : ''}.png`) }).catch(() => {});
    if (code === 'timeout') {
      console.error(`integration: the suite did not finish within 8 minutes\n${server.log()}`);
      return 1;
    }
    if (code === 0 && !suiteEnded) {
      console.error(
        'integration: the workbench reported success, but the suite never finished (its extension host ended?)',
      );
      return 1;
    }
    return code;
  } finally {
    await browser.close();
    server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const untrusted = process.argv.includes('--untrusted');
  const option = (name) => (process.argv.indexOf(name) > 0 ? process.argv[process.argv.indexOf(name) + 1] : undefined);
  const workspace = option('--workspace');
  const code = await runIntegration({
    untrusted,
    files: option('--files'),
    workspace: workspace && resolve(workspace),
  });
  console.log(`integration${untrusted ? ' (untrusted workspace)' : ''}: exit ${code}`);
  process.exit(code);
}
