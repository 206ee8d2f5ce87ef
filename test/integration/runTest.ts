/**
 * The same integration suite under @vscode/test-electron, for machines that can download VS
 * Code (this one cannot: it uses test/vscode/run-integration.mjs with code-server instead).
 *   npm run test:electron
 */
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = join(__dirname, '..', '..', '..');
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: join(__dirname, 'index.js'),
    launchArgs: [join(root, 'examples'), '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: { LSTM_NOTEBOOK_TEST_FILES: 'kernel' },
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
