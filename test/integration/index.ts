/**
 * The integration suite, as VS Code's extension host loads it: the @vscode/test-electron
 * contract is a module exporting run(). Here code-server loads it (test/vscode/run-integration.mjs);
 * on a machine that can download VS Code, runTest.ts does through @vscode/test-electron.
 * Every `*.test.js` beside this file is a mocha file (BDD: describe / it).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const only = process.env.LSTM_NOTEBOOK_TEST_FILES?.split(',');
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    if (!only || only.some((o) => file.startsWith(o))) mocha.addFile(join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
