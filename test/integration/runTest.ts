/**
 * The same integration suite under @vscode/test-electron, for machines that can download VS
 * Code (this one cannot: it uses test/vscode/run-integration.mjs with code-server instead).
 *   npm run test:electron               trusted workspace (examples/), every non-untrusted file
 *   npm run test:electron -- --untrusted   workspace trust enforced, the untrusted*.test files
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = join(__dirname, '..', '..', '..');
  const untrusted = process.argv.includes('--untrusted');
  // A new empty folder is never trusted yet; examples/ is opened with trust turned off.
  const workspace = untrusted ? mkdtempSync(join(tmpdir(), 'lstm-notebook-untrusted-')) : join(root, 'examples');
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: join(__dirname, 'index.js'),
    launchArgs: [workspace, '--disable-extensions', ...(untrusted ? [] : ['--disable-workspace-trust'])],
    extensionTestsEnv: { LSTM_NOTEBOOK_UNTRUSTED: untrusted ? '1' : '' },
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
