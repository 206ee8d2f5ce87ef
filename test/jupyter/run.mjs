// The Jupyter kernel judged by Jupyter's own clients (part of `npm test`, after the build):
//   1. `lstm-notebook kernel install --prefix <temporary>` and `jupyter kernelspec list` finds it,
//   2. jupyter_kernel_test, the Jupyter project's kernel test suite (test_kernel_suite.py),
//   3. the protocol tests it lacks: wrong key, interrupt, restart, abort, updates (test_protocol.py),
//   3b. a real front end: Jupyter Notebook's UI in headless Chromium (notebook-ui.test.mjs),
//   4. every tutorial in examples/ through nbclient, outputs equal to the committed ones,
//   5. `kernel uninstall` removes the kernelspec; the same for the default --user place.
// Debian's python3-jupyter-kernel-test, jupyter-notebook (and /usr/bin/jupyter), python3-nbclient and jupyter-client are installed by
// scripts/code-server/install.mjs, as Chromium is. `node test/jupyter/run.mjs [--no-tutorials]`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../scripts/code-server/paths.mjs';
import { PYTHON } from '../../scripts/install-torch.mjs';

const prefix = mkdtempSync(join(tmpdir(), 'lstm-notebook-jupyter-'));
// Only our kernelspec is found, whatever else the machine has installed.
const env = { ...process.env, JUPYTER_PATH: join(prefix, 'share', 'jupyter'), PYTHONUNBUFFERED: '1' };
const launcher = join(ROOT, 'bin', 'lstm-notebook.js');

function run(name, command, args) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
  const ok = result.status === 0;
  console.log(`${ok ? 'PASS' : 'FAIL'}  jupyter: ${name} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return ok;
}

function kernelspecs() {
  const listed = spawnSync('/usr/bin/jupyter', ['kernelspec', 'list', '--json'], { env, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`jupyter kernelspec list failed: ${listed.stderr}`);
  return JSON.parse(listed.stdout).kernelspecs;
}

const tutorials = process.argv.includes('--no-tutorials')
  ? []
  : readdirSync(join(ROOT, 'examples'))
      .filter((f) => f.endsWith('.ipynb'))
      .sort()
      .map((f) => join('examples', f));
let ok = run('kernel install --prefix', process.execPath, [launcher, 'kernel', 'install', '--prefix', prefix]);
const found = kernelspecs()['lstm-notebook'];
console.log(
  `${found ? 'PASS' : 'FAIL'}  jupyter: jupyter kernelspec list finds lstm-notebook${found ? ` in ${found.resource_dir}` : ''}`,
);
ok &&= Boolean(found);
ok = run('jupyter_kernel_test suite', PYTHON, [join('test', 'jupyter', 'test_kernel_suite.py')]) && ok;
ok =
  run('protocol: keys, interrupt, restart, abort, displays', PYTHON, [join('test', 'jupyter', 'test_protocol.py')]) &&
  ok;
ok =
  run('Jupyter Notebook in Chromium: Run All draws the charts, Interrupt keeps variables', process.execPath, [
    '--test',
    join('test', 'jupyter', 'notebook-ui.test.mjs'),
  ]) && ok;
if (tutorials.length > 0)
  ok =
    run('every tutorial through nbclient, outputs as committed', PYTHON, [
      join('test', 'jupyter', 'run_tutorials.py'),
      ...tutorials,
    ]) && ok;
ok = run('kernel uninstall --prefix', process.execPath, [launcher, 'kernel', 'uninstall', '--prefix', prefix]) && ok;
// The default place, the user's data folder, redirected here as Jupyter allows.
const userData = join(prefix, 'user-data');
env.JUPYTER_DATA_DIR = userData;
ok =
  run('kernel install (--user by default)', process.execPath, [launcher, 'kernel', 'install', '--name', 'lstm-user']) &&
  ok;
const user = kernelspecs()['lstm-user'];
console.log(
  `${user?.resource_dir.startsWith(userData) ? 'PASS' : 'FAIL'}  jupyter: the user's kernelspec is listed from JUPYTER_DATA_DIR`,
);
ok &&= Boolean(user?.resource_dir.startsWith(userData));
ok =
  run('kernel uninstall --user', process.execPath, [
    launcher,
    'kernel',
    'uninstall',
    '--user',
    '--name',
    'lstm-user',
  ]) && ok;
const gone = !kernelspecs()['lstm-notebook'] && !kernelspecs()['lstm-user'];
console.log(`${gone ? 'PASS' : 'FAIL'}  jupyter: the kernelspec is gone after uninstall`);
rmSync(prefix, { recursive: true, force: true });
process.exit(ok && gone ? 0 : 1);
