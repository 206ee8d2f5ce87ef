/**
 * The integration suite, as VS Code's extension host loads it: the @vscode/test-electron
 * contract is a module exporting run(). Here code-server loads it (test/vscode/run-integration.mjs);
 * on a machine that can download VS Code, runTest.ts does through @vscode/test-electron.
 *
 * Every `*.test.js` beside this file is a mocha file (BDD: describe / it); which ones run:
 * - LSTM_NOTEBOOK_TEST_FILES (comma-separated file-name prefixes) if it is set and not empty;
 * - otherwise by trust mode: a run with workspace trust enforced (LSTM_NOTEBOOK_UNTRUSTED=1)
 *   runs the `untrusted*.test.js` files, a trusted run every other file.
 * So a new test file needs no registration anywhere: drop `name.test.ts` here (or
 * `untrusted-name.test.ts` for the restricted-mode run).
 * `extension.test.js` runs first: it measures activation in a host where nothing has
 * activated the extension yet. Files in BENCH_ONLY run only when named (a benchmark does).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

/** Printed when mocha has finished; test/vscode/run-integration.mjs looks for it. */
export const SUITE_END_MARKER = 'LSTM_NOTEBOOK_INTEGRATION_SUITE_END';

/** Files that need a fresh host of their own (they activate the extension first thing). */
const BENCH_ONLY = ['activation.test.js'];

export function selectFiles(files: string[], env: NodeJS.ProcessEnv): string[] {
  const only = env.LSTM_NOTEBOOK_TEST_FILES?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const untrusted = env.LSTM_NOTEBOOK_UNTRUSTED === '1';
  const chosen = files
    .filter((f) => f.endsWith('.test.js'))
    .filter((f) =>
      only?.length
        ? only.some((o) => f.startsWith(o))
        : !BENCH_ONLY.includes(f) && f.startsWith('untrusted') === untrusted,
    );
  const rank = (f: string) => (f === 'extension.test.js' ? 0 : 1);
  return chosen.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export function run(): Promise<void> {
  // LSTM_NOTEBOOK_TEST_GREP picks tests by title (mocha's grep), to repeat one while working on it.
  const grep = process.env.LSTM_NOTEBOOK_TEST_GREP || undefined;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec', grep });
  const files = selectFiles(readdirSync(__dirname), process.env);
  if (files.length === 0)
    return Promise.reject(
      new Error(`no integration test file matches LSTM_NOTEBOOK_TEST_FILES=${process.env.LSTM_NOTEBOOK_TEST_FILES}`),
    );
  for (const file of files) mocha.addFile(join(__dirname, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      // The runner (test/vscode/run-integration.mjs) counts a run as passed only after this line:
      // a workbench whose extension host died mid-suite has been seen to report exit code 0.
      console.log(`${SUITE_END_MARKER} failures=${failures}`);
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
  });
}
