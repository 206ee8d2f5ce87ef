// The .vsix holds exactly what runs and what a user reads — no sources, tests, maps or dev
// files — and no native binaries, so it runs on every platform.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../scripts/code-server/paths.mjs';

/** Every file under dist/types (the language worker's declarations, copied by scripts/copy-types.mjs). */
function typeFiles() {
  const dir = join(ROOT, 'dist', 'types');
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

test('the packaged extension contains only the bundles, the language worker’s declarations, manifest, docs and icon', () => {
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
  const types = typeFiles();
  assert.deepEqual(
    files,
    [
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'dist/extension.js',
      'dist/language.js',
      'dist/renderer.js',
      'dist/worker.js',
      ...types,
      'media/icon.png',
      'package.json',
    ].sort(),
  );
  // The declarations: TypeScript's ES2022 libs (no DOM), Node's types and undici's, nothing else.
  assert.ok(types.includes('dist/types/lib/lib.es2022.d.ts') && types.includes('dist/types/lib/lib.es5.d.ts'));
  assert.ok(!types.some((f) => f.includes('lib.dom')), 'DOM libs copied');
  assert.ok(types.includes('dist/types/@types/node/index.d.ts'));
  assert.ok(types.includes('dist/types/undici-types/index.d.ts'));
  assert.ok(
    types.every((f) => f.endsWith('.d.ts') || f.endsWith('/package.json')),
    'only .d.ts and package.json there',
  );
  const rest = files.filter((f) => !f.startsWith('dist/types/'));
  assert.ok(!rest.some((f) => /\.(node|map|ts)$/.test(f)), 'native modules, maps or sources in the package');
});

test('the worker bundle uses the platform fetch, not node-fetch and its Unicode tables (tr46 → punycode)', () => {
  // Runs after the production build of the test above. These strings are node-fetch's user agent and
  // tr46's import of Node's deprecated punycode module, which printed a warning into the first cell.
  const worker = readFileSync(join(ROOT, 'dist', 'worker.js'), 'utf8');
  assert.ok(!worker.includes('bitinn/node-fetch'), 'node-fetch is bundled into dist/worker.js');
  assert.ok(!worker.includes('"punycode"'), 'punycode (via tr46) is bundled into dist/worker.js');
});
