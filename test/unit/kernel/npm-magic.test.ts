/**
 * `%npm install` in a cell through a real kernel session and a real npm, offline: the packages
 * are folders and tarballs (npm pack) made here in a temp dir. The install streams npm's output,
 * creates the notebook folder's package.json, and the next cell (or the next line) imports the
 * package; a failing npm fails the cell with its exit code and last lines; an unknown magic is
 * refused by name before anything runs; Interrupt kills npm.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { KernelSession } from '../../../extension/kernel/session';
import { newSession, run } from '../../helpers/kernel';
import { localPackage, packed } from '../../helpers/local-package';

let root: string;
let notebookDir: string;
let session: KernelSession;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'lstm-notebook-npm-'));
  notebookDir = join(root, 'notebook');
  mkdirSync(notebookDir);
  localPackage(root, 'tiny-cjs', { 'index.js': 'exports.double = (x) => 2 * x;' });
  const esm = localPackage(
    root,
    'tiny-esm',
    { 'main.js': 'export const triple = (x) => 3 * x;' },
    { type: 'module', exports: { '.': { import: './main.js' } } },
  );
  packed(esm);
  session = newSession({ notebookDir });
  await session.whenReady();
});

after(async () => {
  await session.dispose();
  rmSync(root, { recursive: true, force: true });
});

test('%npm install of a local folder streams npm, creates package.json, and the next cell imports it', async () => {
  const missing = await run(session, "import { double } from 'tiny-cjs';");
  assert.equal(missing.ok, false);
  assert.match(missing.error!.message, /Cannot find module 'tiny-cjs'/);

  const install = await run(session, '%npm install ../tiny-cjs');
  assert.equal(install.ok, true, install.error?.stack);
  assert.match(install.stdout, /Created .*package\.json \("private": true\)/);
  assert.match(install.stdout, /added 1 package/);
  assert.ok(!(install.stdout + install.stderr).includes('\u001b['), 'colour codes in the output');
  const manifest = JSON.parse(readFileSync(join(notebookDir, 'package.json'), 'utf8'));
  assert.equal(manifest.private, true);
  assert.equal(manifest.dependencies['tiny-cjs'], 'file:../tiny-cjs');

  const use = await run(session, "import { double } from 'tiny-cjs';\ndouble(21)");
  assert.equal(use.value, '42', use.error?.stack);
});

test('a %npm line sits among other lines: the lines run in order, an import below it sees the package', async () => {
  const r = await run(
    session,
    [
      'const before = 5;',
      '%npm i ../tiny-esm/tiny-esm-1.0.0.tgz',
      "import { triple } from 'tiny-esm';",
      'triple(before)',
    ].join('\n'),
  );
  assert.equal(r.value, '15', r.error?.stack);
  assert.match(r.stdout, /added 1 package/);
  assert.ok(!r.stdout.includes('Created'), 'package.json was created a second time');
});

test('a failing npm fails the cell with its exit code and last lines; the cell stops there', async () => {
  const r = await run(session, "%npm install ../no-such-package\nconsole.log('after npm')");
  assert.equal(r.ok, false);
  assert.equal(r.error!.name, 'NpmError');
  assert.match(r.error!.message, /^npm install \.\.\/no-such-package failed with exit code \d+; npm's last lines:\n/);
  assert.match(r.error!.message, /no-such-package/);
  assert.ok(!r.stdout.includes('after npm'));
  assert.ok(r.stderr.length > 0, 'npm printed nothing on stderr');
});

test('%npm uninstall removes the package from package.json', async () => {
  const r = await run(session, '%npm uninstall tiny-cjs');
  assert.equal(r.ok, true, r.error?.stack);
  const manifest = JSON.parse(readFileSync(join(notebookDir, 'package.json'), 'utf8'));
  assert.equal(manifest.dependencies['tiny-cjs'], undefined);
  assert.ok(!existsSync(join(notebookDir, 'node_modules', 'tiny-cjs')));
  const gone = await run(session, "import { double } from 'tiny-cjs';");
  assert.equal(gone.ok, false, 'the uninstalled package still imports');
  assert.match(gone.error!.message, /Cannot find module 'tiny-cjs'/);
});

test('an unknown magic, a cell magic and another npm command are refused by name before anything runs', async () => {
  for (const [line, expected] of [
    [
      '%pip install numpy',
      /^Unknown magic %pip: the known magics are %npm install <packages…>, %npm uninstall <packages…> and %whos \[types…\]/,
    ],
    ['%%bash', /^Cell magics \(%%bash\) are not supported/],
    ['%npm publish', /^%npm publish: the known magics are .*; run other npm commands in a terminal/],
  ] as const) {
    const r = await run(session, `console.log('ran');\n${line}`);
    assert.equal(r.ok, false, line);
    assert.equal(r.error!.name, 'SyntaxError');
    assert.match(r.error!.message, expected);
    assert.match(r.error!.message, /line 2, column 1\)$/);
    assert.equal(r.stdout, '', `${line}: the cell ran`);
  }
});

/**
 * Starts `%npm install` of a package whose install script writes its pid and sleeps for two
 * minutes (`after`: more lines of the cell); resolves once the script runs, with its pid.
 */
async function startSlowInstall(
  name: string,
  after = '',
): Promise<{ running: ReturnType<typeof run>; scriptPid: number }> {
  const marker = join(root, `${name}-started`);
  const slow = localPackage(
    root,
    name,
    {
      'index.js': '',
      'install.js': `require('fs').writeFileSync(${JSON.stringify(marker)}, String(process.pid)); setTimeout(() => {}, 120000);`,
    },
    { scripts: { install: 'node install.js' } },
  );
  const tarball = packed(slow);
  const running = run(session, `%npm install ${tarball.replace(/\\/g, '/')}${after}`);
  const started = Date.now();
  while (!existsSync(marker) || readFileSync(marker, 'utf8') === '') {
    assert.ok(Date.now() - started < 60_000, 'the install script never started');
    await new Promise((r) => setTimeout(r, 50));
  }
  return { running, scriptPid: Number(readFileSync(marker, 'utf8')) };
}

/** Waits up to 10 s for process `pid` to end, failing with `what` otherwise. */
async function untilGone(pid: number, what: string): Promise<void> {
  const since = Date.now();
  while (isAlive(pid)) {
    assert.ok(Date.now() - since < 10_000, what);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('Interrupt kills npm (and its install script) and ends the cell with Interrupted', async () => {
  const { running, scriptPid } = await startSlowInstall('slow-pkg', "\nconsole.log('after npm')");
  const asked = Date.now();
  session.interrupt();
  const r = await running;
  assert.equal(r.interrupted, true);
  assert.equal(r.stateLost, false, 'the kernel was restarted instead');
  assert.equal(r.error!.name, 'Interrupted');
  assert.ok(Date.now() - asked < 2000);
  assert.ok(!r.stdout.includes('after npm'));
  // npm passes the signal on to the script it runs.
  await untilGone(scriptPid, `the install script (pid ${scriptPid}) still runs`);
  const after = await run(session, '1 + 1');
  assert.equal(after.value, '2');
});

test('a restart during an install kills npm and its install script: nothing outlives the worker', async () => {
  const { running, scriptPid } = await startSlowInstall('slow-restart-pkg');
  await session.restart();
  const r = await running;
  assert.equal(r.stateLost, true);
  await untilGone(scriptPid, `the install script (pid ${scriptPid}) outlived the restart`);
  assert.equal((await run(session, '1 + 1')).value, '2');
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
