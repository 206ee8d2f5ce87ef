/**
 * The host's declaration of the WebAssembly kernels (KernelExports in core/kernels/wasm/
 * runtime.ts) against the kernels themselves: every function the AssemblyScript entry point
 * exports is declared, with the same parameters in the same order, and the compiled module
 * exports each with that many parameters. The kernel calls the threads post are tuples typed
 * from KernelExports, so this is what makes the compiler's check reach the kernels.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { wasmKernels } from '../../../../core/kernels/wasm/runtime';

const ROOT = join(__dirname, '..', '..', '..', '..', '..');
const ASSEMBLY = join(ROOT, 'core', 'kernels', 'wasm', 'assembly');

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

/** name → parameter names of each function the AssemblyScript entry point re-exports. */
function assemblyExports(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const statement of parse(join(ASSEMBLY, 'index.ts')).statements) {
    if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && statement.exportClause) {
      const from = join(ASSEMBLY, `${(statement.moduleSpecifier as ts.StringLiteral).text}.ts`);
      const functions = new Map<string, string[]>();
      for (const s of parse(from).statements)
        if (ts.isFunctionDeclaration(s) && s.name)
          functions.set(
            s.name.text,
            s.parameters.map((p) => p.name.getText()),
          );
      for (const e of (statement.exportClause as ts.NamedExports).elements) {
        const params = functions.get(e.name.text);
        assert.ok(params, `${e.name.text} is re-exported from ${from} but not declared there`);
        out.set(e.name.text, params);
      }
    } else if (ts.isFunctionDeclaration(statement) && statement.name) {
      out.set(
        statement.name.text,
        statement.parameters.map((p) => p.name.getText()),
      );
    }
  }
  return out;
}

/** name → parameter names of each member of the host's KernelExports interface. */
function hostDeclarations(): Map<string, string[]> {
  const file = parse(join(ROOT, 'core', 'kernels', 'wasm', 'runtime.ts'));
  const iface = file.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'KernelExports',
  );
  assert.ok(iface, 'runtime.ts declares KernelExports');
  const out = new Map<string, string[]>();
  for (const m of iface.members)
    if (ts.isMethodSignature(m))
      out.set(
        m.name.getText(),
        m.parameters.map((p) => p.name.getText()),
      );
  return out;
}

test('KernelExports declares every kernel with the parameters the AssemblyScript source gives it', () => {
  const kernels = assemblyExports();
  const declared = hostDeclarations();
  assert.ok(kernels.size >= 10, `found ${kernels.size} kernels`);
  assert.deepEqual([...declared.keys()].sort(), [...kernels.keys()].sort(), 'the same kernels');
  for (const [name, params] of kernels) assert.deepEqual(declared.get(name), params, name);
});

test('the compiled module exports each declared kernel with as many parameters', () => {
  const { k } = wasmKernels();
  for (const [name, params] of hostDeclarations()) {
    const fn = (k as unknown as Record<string, unknown>)[name];
    assert.equal(typeof fn, 'function', `${name} is exported`);
    assert.equal((fn as (...a: number[]) => void).length, params.length, `${name}'s parameter count`);
  }
});
