// Builds the bundles, each for where it runs:
//   dist/extension.js  extension host (Node, CommonJS, `vscode` external)
//   dist/worker.js     kernel worker thread (Node, CommonJS), the core bundled in; its source
//                      map (our sources' text only) ships too, for Debug Cell
//   dist/language.js   the cells' language worker thread (Node, CommonJS), TypeScript bundled in
//   dist/types/        TypeScript's ES2022 lib files and Node's types it reads (copied, not bundled)
//   node_modules/lstm-notebook-tsserver-plugin/
//                      a TypeScript server plugin that quiets the built-in TypeScript in the
//                      cells ours serves; tsserver loads it by package name from the
//                      extension's node_modules (package.json's typescriptServerPlugins)
//   dist/renderer.js   notebook renderer (browser, ESM)
//   dist/cli.js        headless notebook runner (bin/lstm-notebook.js), the same engine
//   dist/jupyter.js    the Jupyter kernel and its kernelspec installer (`lstm-notebook kernel`),
//                      the same engine; zeromq stays external (its prebuilt binaries load from
//                      node_modules), and the .vsix never carries this bundle
//   dist/export.js     a notebook as one self-contained HTML page (`lstm-notebook export`, and the
//                      extension's Export Notebook as HTML command, which loads it on demand)
//   dist/demo.js       a command-line demo of the core (`npm run demo`)
// `node esbuild.mjs --watch` rebuilds on change; `--production` minifies without source maps
// (but for the kernel worker's).
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { buildData } from './scripts/build-data.mjs';
import { buildTypes } from './scripts/build-types.mjs';
import { buildWasm } from './scripts/build-wasm.mjs';
import { copyTypes } from './scripts/copy-types.mjs';

// The plugin's package name is the one package.json's typescriptServerPlugins gives tsserver.
const TSSERVER_PLUGIN = JSON.parse(readFileSync('package.json', 'utf8')).contributes.typescriptServerPlugins[0].name;
const TSSERVER_PLUGIN_DIR = `node_modules/${TSSERVER_PLUGIN}`;
const TYPESCRIPT_VERSION = JSON.parse(readFileSync('node_modules/typescript/package.json', 'utf8')).version;
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  // Class names are shown to users (a model prints as `LSTM(2 → 3)`, errors by name): keep them when minifying.
  keepNames: true,
  logLevel: 'info',
  target: 'es2022',
};

const builds = [
  {
    ...common,
    entryPoints: ['extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
  },
  // vega's loader requires node-fetch on Node; the platform's fetch serves (see platform-fetch.cjs).
  // Its source map ships even in production: Debug Cell steps from a cell into the core's
  // TypeScript, equations beside the loops (trimSourceMap keeps only our sources' text).
  {
    ...common,
    entryPoints: ['extension/kernel/worker.ts'],
    outfile: 'dist/worker.js',
    platform: 'node',
    format: 'cjs',
    alias: { 'node-fetch': './extension/kernel/platform-fetch.cjs' },
    sourcemap: 'linked',
  },
  {
    ...common,
    entryPoints: ['extension/language/worker.ts'],
    outfile: 'dist/language.js',
    platform: 'node',
    format: 'cjs',
    // type-source.ts's nodeTypeSource resolves node_modules for plain-Node tests; the worker
    // never calls it (it reads dist/types through bundledTypeSource).
    logOverride: { 'require-resolve-not-external': 'silent' },
  },
  {
    ...common,
    entryPoints: ['extension/language/tsserver-plugin.ts'],
    outfile: `${TSSERVER_PLUGIN_DIR}/index.js`,
    platform: 'node',
    format: 'cjs',
  },
  { ...common, entryPoints: ['renderer/index.ts'], outfile: 'dist/renderer.js', platform: 'browser', format: 'esm' },
  {
    ...common,
    entryPoints: ['extension/kernel/cli.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    // The notebook's language_info.version (nbformat.ts): the TypeScript the language service runs.
    define: { __TYPESCRIPT_VERSION__: JSON.stringify(TYPESCRIPT_VERSION) },
  },
  {
    ...common,
    entryPoints: ['extension/jupyter/main.ts'],
    outfile: 'dist/jupyter.js',
    platform: 'node',
    format: 'cjs',
    external: ['zeromq'],
    // kernel_info's language_info.version, as the runner's (nbformat.ts).
    define: { __TYPESCRIPT_VERSION__: JSON.stringify(TYPESCRIPT_VERSION) },
  },
  // `lstm-notebook export` and the extension's Export Notebook as HTML command (loaded on demand).
  {
    ...common,
    entryPoints: ['extension/export/main.ts'],
    outfile: 'dist/export.js',
    platform: 'node',
    format: 'cjs',
  },
  { ...common, entryPoints: ['examples/demo.ts'], outfile: 'dist/demo.js', platform: 'node', format: 'cjs' },
];

// The WebAssembly kernels, the data files and the cells' type declarations first: the bundles
// (and tsc) embed what they generate.
await buildWasm();
buildData();
buildTypes();
copyTypes();
mkdirSync(TSSERVER_PLUGIN_DIR, { recursive: true });
writeFileSync(
  `${TSSERVER_PLUGIN_DIR}/package.json`,
  JSON.stringify({ name: TSSERVER_PLUGIN, version: '0.0.0', private: true, main: 'index.js' }, null, 2),
);

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  trimSourceMap('dist/worker.js.map');
}

/**
 * The shipped map keeps the text of our own sources (the core, plot, the kernel) and drops that
 * of dependencies and of generated data modules (corpora, the WebAssembly binary as base64):
 * the debugger skips those frames anyway, and they would double the map's size.
 */
function trimSourceMap(file) {
  const map = JSON.parse(readFileSync(file, 'utf8'));
  map.sourcesContent = map.sources.map((source, i) =>
    /node_modules|\.generated\.ts$/.test(source) ? null : map.sourcesContent[i],
  );
  writeFileSync(file, JSON.stringify(map));
}
