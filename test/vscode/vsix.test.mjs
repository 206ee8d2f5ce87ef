// The .vsix holds exactly what runs and what a user reads — no sources, tests, maps or dev
// files — and no native binaries, so it runs on every platform.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import JSZip from 'jszip';
import { ROOT } from '../../scripts/code-server/paths.mjs';
import { packageVsix, TSSERVER_PLUGIN_FILES } from '../../scripts/package.mjs';

/** Every file under dist/types (the language worker's declarations, copied by scripts/copy-types.mjs). */
function typeFiles() {
  const dir = join(ROOT, 'dist', 'types');
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

test('the packaged extension contains only the bundles, the kernel worker’s source map, the language worker’s declarations, the tsserver plugin, manifest, docs and icon', async () => {
  // The archive itself, as `npm run package` writes it and VS Code installs it.
  const zip = await JSZip.loadAsync(readFileSync(await packageVsix()));
  const files = Object.values(zip.files)
    .filter((entry) => !entry.dir && entry.name.startsWith('extension/'))
    .map((entry) => entry.name.slice('extension/'.length))
    .sort();
  const types = typeFiles();
  assert.deepEqual(
    files,
    [
      // vsce's names for them in the archive
      'changelog.md',
      'LICENSE.txt',
      'readme.md',
      'dist/export.js',
      'dist/extension.js',
      'dist/language.js',
      'dist/renderer.js',
      'dist/worker.js',
      'dist/worker.js.map',
      ...TSSERVER_PLUGIN_FILES,
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
  // The plugin is the module tsserver loads by the name package.json gives it.
  const manifest = JSON.parse(await zip.file('extension/package.json').async('string'));
  const [plugin] = manifest.contributes.typescriptServerPlugins;
  const pluginPackage = JSON.parse(
    await zip.file(`extension/node_modules/${plugin.name}/package.json`).async('string'),
  );
  assert.equal(pluginPackage.name, plugin.name);
  assert.match(
    await zip.file(`extension/node_modules/${plugin.name}/index.js`).async('string'),
    /onConfigurationChanged/,
  );
  // The kernel worker's map (Debug Cell steps into the core): our sources' text, not dependencies'.
  const map = JSON.parse(await zip.file('extension/dist/worker.js.map').async('string'));
  const textOf = (pattern) => map.sourcesContent[map.sources.findIndex((source) => pattern.test(source))];
  assert.match(textOf(/core\/recurrent\/model\.ts$/) ?? '', /forward\(input: Tensor/);
  assert.ok(
    map.sources.every((source, i) => !/node_modules|\.generated\.ts$/.test(source) || map.sourcesContent[i] === null),
    'dependencies’ or generated sources’ text in the map',
  );
  const rest = files.filter((f) => !f.startsWith('dist/types/') && f !== 'dist/worker.js.map');
  assert.ok(!rest.some((f) => /\.(node|map|ts)$/.test(f)), 'native modules, maps or sources in the package');
});

test('the worker bundle uses the platform fetch, not node-fetch and its Unicode tables (tr46 → punycode)', () => {
  // Runs after the production build of the test above. These strings are node-fetch's user agent and
  // tr46's import of Node's deprecated punycode module, which printed a warning into the first cell.
  const worker = readFileSync(join(ROOT, 'dist', 'worker.js'), 'utf8');
  assert.ok(!worker.includes('bitinn/node-fetch'), 'node-fetch is bundled into dist/worker.js');
  assert.ok(!worker.includes('"punycode"'), 'punycode (via tr46) is bundled into dist/worker.js');
});
