// The .vsix holds exactly what runs and what a user reads — no sources, tests, maps or dev
// files — and no native binaries, so it runs on every platform.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../scripts/code-server/paths.mjs';

test('the packaged extension contains only the bundles, manifest, docs and icon', () => {
  execFileSync(process.execPath, [join(ROOT, 'esbuild.mjs'), '--production'], { cwd: ROOT, stdio: 'ignore' });
  const listing = execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  const files = listing
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .sort();
  assert.deepEqual(files, [
    'CHANGELOG.md',
    'LICENSE',
    'README.md',
    'dist/extension.js',
    'dist/renderer.js',
    'dist/worker.js',
    'media/icon.png',
    'package.json',
  ]);
  assert.ok(!files.some((f) => /\.(node|map|ts)$/.test(f)), 'native modules, maps or sources in the package');
});
