/** The kernelspec installer: where each place is, what kernel.json says, install and uninstall. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { checkName, dataDir, install, kernelJson, uninstall } from '../../../extension/jupyter/kernelspec';

const ROOT = resolve(__dirname, '..', '..', '..', '..');

test('the user place follows Jupyter: JUPYTER_DATA_DIR, then XDG on Linux, ~/Library on macOS, %APPDATA% on Windows', () => {
  const user = { kind: 'user' } as const;
  assert.equal(dataDir(user, { JUPYTER_DATA_DIR: '/data/j' }, 'linux'), '/data/j');
  assert.equal(dataDir(user, { XDG_DATA_HOME: '/xdg' }, 'linux'), '/xdg/jupyter');
  assert.equal(dataDir(user, {}, 'linux'), join(homedir(), '.local', 'share', 'jupyter'));
  assert.equal(dataDir(user, {}, 'darwin'), join(homedir(), 'Library', 'Jupyter'));
  assert.equal(dataDir(user, { APPDATA: '/appdata' }, 'win32'), join('/appdata', 'jupyter'));
  assert.throws(() => dataDir(user, {}, 'win32'), /expected %APPDATA%/);
  assert.equal(dataDir({ kind: 'prefix', dir: '/opt/env' }), '/opt/env/share/jupyter');
  assert.equal(dataDir({ kind: 'sys-prefix' }, { VIRTUAL_ENV: '/venv' }), '/venv/share/jupyter');
});

test('kernel.json runs this launcher with this Node, interrupts by message, and says TypeScript', () => {
  const spec = kernelJson('/x/bin/lstm-notebook.js', 'LSTM (TypeScript)');
  assert.deepEqual(spec.argv, [
    process.execPath,
    '/x/bin/lstm-notebook.js',
    'kernel',
    '--connection-file',
    '{connection_file}',
  ]);
  assert.equal(spec.language, 'typescript');
  assert.equal(spec.interrupt_mode, 'message');
});

test('install writes kernel.json and both logos; uninstall removes them; a second uninstall says where it looked', () => {
  const prefix = mkdtempSync(join(tmpdir(), 'kernelspec-'));
  try {
    const place = { kind: 'prefix', dir: prefix } as const;
    const folder = install(
      { place, name: 'lstm-test', displayName: 'LSTM test' },
      '/x/launcher.js',
      join(ROOT, 'media'),
    );
    assert.equal(folder, join(prefix, 'share', 'jupyter', 'kernels', 'lstm-test'));
    const json = JSON.parse(readFileSync(join(folder, 'kernel.json'), 'utf8'));
    assert.equal(json.display_name, 'LSTM test');
    assert.ok(existsSync(join(folder, 'logo-32x32.png')) && existsSync(join(folder, 'logo-64x64.png')));
    assert.equal(uninstall({ place, name: 'lstm-test' }), folder);
    assert.ok(!existsSync(folder));
    assert.throws(() => uninstall({ place, name: 'lstm-test' }), new RegExp(`found none: nothing was removed`));
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
});

test('a kernel name Jupyter would not accept is refused', () => {
  assert.equal(checkName('lstm-notebook_2.x'), 'lstm-notebook_2.x');
  assert.throws(
    () => checkName('has space'),
    /expected a kernel name of letters, digits, ".", "_" and "-", got "has space"/,
  );
  assert.throws(() => checkName('../escape'), /got "..\/escape"/);
});
