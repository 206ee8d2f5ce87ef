// The lint rules that keep the architecture (eslint.config.mjs) catch what they are for: each case
// lints a small text as if it were a file at that path and expects the named rule to fire, or not.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { ROOT } from '../../scripts/code-server/paths.mjs';

const eslint = new ESLint({ cwd: ROOT });

async function ruleIds(code, path) {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  return result.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

const VSCODE = "import * as vscode from 'vscode';\nexport const x = vscode.version;\n";
const ZEROMQ = "import { Router } from 'zeromq';\nexport const r = Router;\n";
const cases = [
  // [where, code, is it refused by no-restricted-imports?]
  ['core/boundary-probe.ts', VSCODE, true],
  ['extension/kernel/boundary-probe.ts', VSCODE, true],
  ['plot/boundary-probe.ts', VSCODE, true],
  ['renderer/boundary-probe.ts', VSCODE, true],
  ['protocol/boundary-probe.ts', VSCODE, true],
  ['charts/boundary-probe.ts', VSCODE, true],
  ['charts/boundary-probe.ts', "import { plot } from '../plot/index';\nexport const p = plot;\n", true],
  ['protocol/boundary-probe.ts', "import { specFor } from '../charts/index';\nexport const s = specFor;\n", true],
  [
    'charts/boundary-probe.ts',
    "import { decodeF32 } from '../protocol/float32-codec';\nexport const d = decodeF32;\n",
    false,
  ],
  ['extension/boundary-probe.ts', VSCODE, false],
  ['extension/language/boundary-probe.ts', VSCODE, true],
  ['extension/jupyter/boundary-probe.ts', VSCODE, true],
  ['extension/jupyter/boundary-probe.ts', ZEROMQ, false],
  ['extension/boundary-probe.ts', ZEROMQ, true],
  [
    'extension/boundary-probe.ts',
    "import { rewriteCell } from './kernel/rewrite';\nexport const r = rewriteCell;\n",
    true,
  ],
  [
    'extension/boundary-probe.ts',
    "import { KERNEL_GLOBAL } from '../protocol/kernel';\nexport const k = KERNEL_GLOBAL;\n",
    false,
  ],
  ['extension/kernel/boundary-probe.ts', ZEROMQ, true],
  ['core/boundary-probe.ts', ZEROMQ, true],
  ['bench/boundary-probe.ts', ZEROMQ, false],
  [
    'extension/kernel/boundary-probe.ts',
    "import { JupyterKernel } from '../jupyter/kernel';\nexport const k = JupyterKernel;\n",
    true,
  ],
  ['core/boundary-probe.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", true],
  ['core/data/boundary-probe.ts', "import { plot } from '../../plot/index';\nexport const p = plot;\n", true],
  ['plot/boundary-probe.ts', "import { Tensor } from '../core/tensor';\nexport const t = Tensor;\n", true],
  [
    'extension/kernel/boundary-probe.ts',
    "import { LstmError } from '../../core/errors';\nexport const e = LstmError;\n",
    true,
  ],
  [
    'extension/kernel/boundary-probe.ts',
    "import { Tensor } from '../../core/index';\nexport const t = Tensor;\n",
    false,
  ],
  ['bench/boundary-probe.ts', "import { setEngine } from '../core/host';\nexport const s = setEngine;\n", false],
  [
    'test/unit/core/boundary-probe.ts',
    "import { Tensor } from '../../../core/tensor';\nexport const t = Tensor;\n",
    false,
  ],
];

for (const [path, code, refused] of cases) {
  const first = code.split('\n')[0];
  test(`${path}: ${first} is ${refused ? 'refused' : 'allowed'}`, async () => {
    const ids = await ruleIds(code, path);
    assert.equal(ids.includes('no-restricted-imports'), refused, `rules that fired: ${JSON.stringify(ids)}`);
    assert.ok(!ids.some((id) => id.startsWith('fatal')), `parse error: ${JSON.stringify(ids)}`);
  });
}

// The rules that keep each contract in its room (no-restricted-syntax): core/ builds no HTML and
// knows no VS Code theme (the notebook's tables are plot/format/'s), and the types and validators
// of what crosses between host and worker are declared in protocol/ only.
const TABLE = 'export const t = (x: string) => `<table class="t"><td>${x}</td></table>`;\n';
const THEMED = "export const css = 'color:var(--vscode-editor-foreground)';\n";
const VALIDATOR =
  "function malformed(m: unknown): string | null {\n  return typeof m === 'object' ? null : 'not a message';\n}\nexport const v = malformed;\n";
const WIRE_TYPE = 'export interface CellRange {\n  start: number;\n  end: number;\n}\n';
const syntaxCases = [
  // [where, code, is it refused by no-restricted-syntax?]
  ['core/format/boundary-probe.ts', TABLE, true],
  ['core/boundary-probe.ts', THEMED, true],
  ['core/boundary-probe.ts', "export const html = '<div>' + 1;\n", true],
  ['core/boundary-probe.ts', "export const m = 'expected 0 <= k < n, got <none>';\n", false],
  ['core/format/boundary-probe.ts', 'export const t = (x: number) => `tensor([${x}], dtype=float64)`;\n', false],
  ['plot/format/boundary-probe.ts', TABLE, false],
  ['plot/format/boundary-probe.ts', THEMED, false],
  ['extension/kernel/boundary-probe.ts', VALIDATOR, true],
  ['extension/boundary-probe.ts', 'export const validateSelection = (m: unknown) => m !== null;\n', true],
  ['protocol/boundary-probe.ts', VALIDATOR, false],
  ['extension/language/boundary-probe.ts', WIRE_TYPE, true],
  ['extension/jupyter/boundary-probe.ts', "export type WorkerMessage = { type: 'ready' };\n", true],
  ['renderer/boundary-probe.ts', "export interface SelectionMessage {\n  type: 'selection';\n}\n", true],
  ['protocol/boundary-probe.ts', WIRE_TYPE, false],
  [
    'extension/language/boundary-probe.ts',
    "import type { CellRange } from '../../protocol/language';\nexport const r = (x: CellRange) => x.start;\n",
    false,
  ],
];

for (const [path, code, refused] of syntaxCases) {
  const first = code.split('\n')[0];
  test(`${path}: ${first} is ${refused ? 'refused' : 'allowed'} (no-restricted-syntax)`, async () => {
    const ids = await ruleIds(code, path);
    assert.equal(ids.includes('no-restricted-syntax'), refused, `rules that fired: ${JSON.stringify(ids)}`);
    assert.ok(!ids.some((id) => id.startsWith('fatal')), `parse error: ${JSON.stringify(ids)}`);
  });
}

test('an import cycle is refused (import-x/no-cycle), naming the file it closes on', async () => {
  // The fixture folder is in the config's ignores (so `eslint .` passes); lint it explicitly here.
  const linter = new ESLint({ cwd: ROOT, ignore: false });
  const results = await linter.lintFiles([join(ROOT, 'test/lint/fixtures/cycle/a.ts')]);
  assert.deepEqual(
    results[0].messages.map((m) => m.ruleId),
    ['import-x/no-cycle'],
  );
});
