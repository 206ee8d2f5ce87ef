// The part of `npm test` after the unit tests: it installs what it needs (Chromium, Node 24,
// code-server; see scripts/code-server/install.mjs) and fails loudly if it cannot, then runs
//   1. the renderer tests in headless Chromium (test/browser),
//   2. the integration suite inside VS Code's extension host, trusted and untrusted,
//   3. the end-to-end UI tests through code-server (test/e2e),
//   4. every tutorial notebook through the headless runner, outputs checked against the committed ones,
//   5. the PyTorch hand-over against Debian's PyTorch (installed first when missing: python3-torch),
//   6. the Jupyter kernel judged by Jupyter's clients: jupyter_kernel_test, protocol tests and
//      every tutorial through nbclient (test/jupyter/run.mjs).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { install } from '../../scripts/code-server/install.mjs';
import { ensureTorch } from '../../scripts/install-torch.mjs';
import { ROOT } from '../../scripts/code-server/paths.mjs';
import { runIntegration } from './run-integration.mjs';

const node = (args) => () => spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' }).status ?? 1;
const notebooks = readdirSync(join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.ipynb'))
  .sort();

install();
// Tutorial 7 and the PyTorch hand-over tests run Debian's PyTorch: installed here when missing.
const torch = await ensureTorch({ install: true });
const parts = [
  ['renderer in headless Chromium', node(['--test', 'test/browser/'])],
  ['the .vsix holds only what it should', node(['--test', 'test/vscode/vsix.test.mjs'])],
  ['integration (trusted workspace)', () => runIntegration()],
  ['integration (untrusted workspace)', () => runIntegration({ untrusted: true })],
  ['end to end through the UI', node(['--test', '--test-concurrency=1', 'test/e2e/'])],
  ...notebooks.map((nb) => [
    `tutorial ${nb} re-runs to its committed outputs`,
    node([join(ROOT, 'bin', 'lstm-notebook.js'), 'run', join('examples', nb), '--check', '--timeout', '180']),
  ]),
  [
    'PyTorch runs the exported project: same losses, torchrun with 2 processes',
    () => (torch ? node(['--test', 'out/test/torch/'])() : 1),
  ],
  ['the Jupyter kernel in Jupyter clients (jupyter_kernel_test, protocol, nbclient)', node(['test/jupyter/run.mjs'])],
];
const results = [];
for (const [name, run] of parts) {
  const started = Date.now();
  const code = await run();
  results.push(`${code === 0 ? 'PASS' : 'FAIL'}  ${name} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  console.log(results.at(-1));
}
console.log(`\n${results.join('\n')}`);
process.exit(results.some((r) => r.startsWith('FAIL')) ? 1 : 0);
