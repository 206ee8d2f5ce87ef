// `npm run test:vscode`: everything that needs a real VS Code — the integration suite in a
// trusted workspace, then in an untrusted one. Fails if any part fails.
import { runIntegration } from './run-integration.mjs';

const parts = [
  ['integration (trusted workspace)', () => runIntegration({ files: 'kernel' })],
  ['integration (untrusted workspace)', () => runIntegration({ untrusted: true, files: 'untrusted' })],
];
let failed = 0;
for (const [name, run] of parts) {
  const started = Date.now();
  const code = await run();
  console.log(`${code === 0 ? 'PASS' : 'FAIL'} ${name} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  if (code !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
