// ESLint (flat config). Beyond the usual checks, the rules here keep the architecture:
//   core/           pure numerics: no IO (no node: modules), no vscode, nothing from the other folders;
//                   no HTML and no VS Code theme variables (the notebook's tables are plot/format/)
//   protocol/       the wire types, their validators, the float32 codec: imports only core's public API;
//                   every host ⇄ worker (and renderer → kernel) contract is declared there and nowhere else
//   interop/        hand-over to other engines (ONNX): core's public API and format encoders, no IO
//   charts/         pure vega-lite spec builders, shared by renderer/ (browser) and plot/ (kernel worker);
//                   imports only protocol/ and core
//   extension/kernel/  the kernel engine: no vscode, so the headless runner and plain-Node tests use it
//   extension/language/  the cells' language engine: no vscode either (plain-Node tests, a worker thread)
//   extension/jupyter/   the Jupyter kernel over the engine: no vscode; the only place zeromq may be
//                        imported (a native module, kept out of the extension and its .vsix)
//   extension/export/    a notebook as one HTML page, for the CLI and the extension's command: no vscode
//   vscode          only in extension/ (outside kernel/ and language/) and in the tests that drive VS Code
//   core internals  only from core/ and test/; everything else goes through core/index or core/host
//   no import cycles anywhere
// Unused exports and dead files are knip's job (knip.json); `npm run lint` runs both.
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const VSCODE = {
  name: 'vscode',
  message: 'vscode may be imported only in extension/ (not in extension/kernel/ or extension/language/).',
};
const ZEROMQ = {
  name: 'zeromq',
  message: 'zeromq (native) only in extension/jupyter/, the Jupyter kernel: never in the extension or its .vsix.',
};
const CORE_INTERNALS = {
  regex: '^(\\.\\./)+core/(?!index$|host$)',
  message: "Import core through its public entries, core/index (the cells' API) or core/host (the kernel's).",
};
const CELL_TRANSPILER = {
  regex: '^\\./kernel/(rewrite|transpile)$',
  message:
    'The cell transpiler (sucrase, acorn) belongs in the kernel worker: the extension host takes shared names from protocol/ (about 0.9 MB of its bundle otherwise).',
};
/**
 * The contracts between two sides (host ⇄ kernel worker, host ⇄ language worker, renderer → kernel):
 * their types and the validators that check them where they arrive are declared in protocol/ only.
 * Elsewhere a declaration of one of these names, or a function named as a message validator, is a
 * second copy of the wire.
 */
const WIRE_TYPES = [
  'WorkerConfig',
  'HostMessage',
  'WorkerMessage',
  'CellError',
  'MimeBundle',
  'LanguageWorkerConfig',
  'LanguageMethods',
  'LanguageRequest',
  'LanguageResponse',
  'NotebookCell',
  'CellPosition',
  'CellRange',
  'CompletionItem',
  'CompletionDetails',
  'Hover',
  'SignatureHelp',
  'Definition',
  'CellDiagnostic',
  'SelectionMessage',
  'UnitSelection',
];
const WIRE_DECLARED_ONCE = [
  {
    selector: `:matches(TSInterfaceDeclaration, TSTypeAliasDeclaration)[id.name=/^(${WIRE_TYPES.join('|')})$/]`,
    message: 'This type crosses between host and worker: it is declared once, in protocol/; import it from there.',
  },
  {
    selector: ':matches(FunctionDeclaration, VariableDeclarator)[id.name=/^(malformed|validate)/]',
    message:
      "Messages between host and worker are checked by protocol/'s validators, beside their types (validateWorkerMessage, validateLanguageRequest, validateSelectionMessage, validatePayload): not by a second one here.",
  },
];
/**
 * core/ builds no HTML and knows no VS Code theme: an HTML tag or a `var(--vscode-…)` in one of
 * its strings is presentation, which belongs beside plot/ (plot/format/).
 */
const HTML_TAGS =
  'table|thead|tbody|tr|th|td|caption|style|div|span|pre|p|br|b|i|em|strong|a|ul|ol|li|code|svg|img|html|body|script';
const NO_HTML = [
  ['Literal', 'value'],
  ['TemplateElement', 'value.raw'],
].flatMap(([node, field]) => [
  {
    selector: `${node}[${field}=/<(${HTML_TAGS})[\\s>]/i]`,
    message: 'core/ is pure numerics and builds no HTML: tables for the notebook live in plot/format/.',
  },
  {
    selector: `${node}[${field}=/var\\(--vscode-/]`,
    message: "core/ knows nothing of VS Code's themes: themed output lives in plot/format/.",
  },
]);
const noNode = (message) => ({ regex: '^node:', message });
const folder = (name, message) => ({ regex: `^(\\.\\./)+${name}/`, message });
/** A folder's import rule: never vscode, and none of `patterns`. */
const layer = (files, patterns) => ({
  files: [files],
  rules: { 'no-restricted-imports': ['error', { paths: [VSCODE, ZEROMQ], patterns }] },
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      'test-results/',
      '.vscode-test/',
      '**/*.generated.ts',
      // Deliberate violations that test/lint/lint-config.test.mjs lints on purpose.
      'test/lint/fixtures/',
      // AssemblyScript: compiled by asc (scripts/build-wasm.mjs), not TypeScript; it has its own types.
      'core/kernels/wasm/assembly/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.mjs', '.js'],
      'import-x/resolver': { node: { extensions: ['.ts', '.mjs', '.js'] } },
    },
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [VSCODE, ZEROMQ], patterns: [CORE_INTERNALS] }],
    },
  },
  layer('core/**', [
    noNode('core/ is pure numerics: no IO, no Node modules.'),
    folder(
      '(extension|renderer|plot|protocol|charts|test|bench|scripts|examples)',
      'core/ imports nothing outside core/.',
    ),
  ]),
  { files: ['core/**'], rules: { 'no-restricted-syntax': ['error', ...NO_HTML] } },
  {
    // Both sides of every wire, and the chart code between them: the wire itself is protocol/'s.
    files: ['extension/**', 'renderer/**', 'plot/**', 'charts/**', 'interop/**'],
    rules: { 'no-restricted-syntax': ['error', ...WIRE_DECLARED_ONCE] },
  },
  // Shared by the kernel worker and the renderer (browser): no Node, no vscode. protocol/ is the
  // bottom layer (wire types, validators, the float32 codec); charts/ builds specs from it.
  layer('protocol/**', [
    CORE_INTERNALS,
    noNode('protocol/ runs in the browser too: no Node modules.'),
    folder('(charts|extension|renderer|plot|test|bench|scripts|examples)', 'protocol/ imports only core.'),
  ]),
  // Hand-over to other engines (ONNX…): the core's public API and the encoders made for the formats; pure.
  layer('interop/**', [
    CORE_INTERNALS,
    noNode('interop/ returns bytes, cells write them: no Node modules.'),
    folder('(charts|extension|renderer|plot|protocol|test|bench|scripts|examples)', 'interop/ imports only core.'),
  ]),
  layer('charts/**', [
    CORE_INTERNALS,
    noNode('charts/ runs in the browser too: no Node modules.'),
    folder('(extension|renderer|plot|test|bench|scripts|examples)', 'charts/ imports only protocol/ and core.'),
  ]),
  {
    // The extension host: vscode is its whole point. Still no core internals.
    files: ['extension/**'],
    ignores: ['extension/kernel/**', 'extension/language/**', 'extension/jupyter/**', 'extension/export/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [ZEROMQ], patterns: [CORE_INTERNALS, CELL_TRANSPILER] }] },
  },
  {
    // The Jupyter kernel: the engine and the language service over ZeroMQ; still no vscode.
    files: ['extension/jupyter/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [VSCODE], patterns: [CORE_INTERNALS] }] },
  },
  {
    // The HTML export: the CLI's and the extension's alike, so no vscode (and no native module).
    files: ['extension/export/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [VSCODE, ZEROMQ], patterns: [CORE_INTERNALS] }] },
  },
  {
    // Benchmarks drive the Jupyter kernel as a client does, over ZeroMQ; they never ship.
    files: ['bench/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [VSCODE], patterns: [CORE_INTERNALS] }] },
  },
  // The engines below the kernel never reach up into it.
  layer('extension/kernel/**', [
    CORE_INTERNALS,
    folder('jupyter', 'extension/kernel/ does not import the Jupyter kernel.'),
  ]),
  {
    // The tests reach into core's internals and (under test/integration, test/vscode) drive VS Code.
    files: ['test/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Browser code: the renderer, and the Playwright scripts whose callbacks run in the page.
    files: ['renderer/**', 'test/browser/**', 'test/e2e/**', 'bench/render.mjs'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // CommonJS: the bin launcher and the worker's fetch stand-in.
    files: ['**/*.cjs', 'bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
