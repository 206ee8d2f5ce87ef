// The .vsix holds exactly what runs and what a user reads — no sources, tests, maps or dev
// files — and no native binaries, so it runs on every platform.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

test('the worker bundle uses the platform fetch, not node-fetch and its Unicode tables (tr46 → punycode)', () => {
  // Runs after the production build of the test above. These strings are node-fetch's user agent and
  // tr46's import of Node's deprecated punycode module, which printed a warning into the first cell.
  const worker = readFileSync(join(ROOT, 'dist', 'worker.js'), 'utf8');
  assert.ok(!worker.includes('bitinn/node-fetch'), 'node-fetch is bundled into dist/worker.js');
  assert.ok(!worker.includes('"punycode"'), 'punycode (via tr46) is bundled into dist/worker.js');
});
