/**
 * The cells' language service (extension/language/service.ts) on a 30-cell notebook, in plain
 * Node: loading TypeScript, the first completion (cold: the libs, Node's types and the core's
 * declarations parsed and checked), later completions after an edit, a full diagnostics pass,
 * and the heap it holds. Issue 13's budgets: first ≤ 1 s, later ≤ 100 ms.
 * Prints a table and a BENCH_JSON line; nothing is asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { NotebookLanguageService } from '../extension/language/service';
import type { NotebookCell } from '../protocol/language';

// Since the process started: Node's own start, then loading TypeScript and the service.
const loadMs = performance.now();

const CELLS = 30;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A notebook as a tutorial writes it: an import, a model, data, then cells using them. */
function notebook(lastCell: string): NotebookCell[] {
  const cells: NotebookCell[] = [
    {
      id: 'c0',
      languageId: 'typescript',
      text: "import { LSTM, Adam, tasks, train, plot } from 'lstm-notebook';\nimport fs from 'node:fs';",
    },
    {
      id: 'c1',
      languageId: 'typescript',
      text: 'const model = new LSTM({ inputSize: 2, hiddenSize: 16 });\nlet steps = 10;',
    },
  ];
  for (let i = 2; i < CELLS - 1; i++) {
    cells.push({
      id: `c${i}`,
      languageId: i % 5 === 0 ? 'markdown' : 'typescript',
      text: `const value${i} = steps * ${i};\nsteps = value${i} % 7;\nconst out${i} = model.forward([[[${i}, 1]]]);`,
    });
  }
  cells.push({ id: 'last', languageId: 'typescript', text: lastCell });
  return cells;
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'lstm-language-bench-'));
  let t0 = performance.now();
  const service = new NotebookLanguageService({ notebookDir: folder });
  service.update(notebook('model.'));
  const first = service.completions('last', { line: 0, character: 6 });
  const firstMs = performance.now() - t0;
  if (!first.some((item) => item.name === 'forward')) throw new Error('no forward in the first completion');

  const later: number[] = [];
  for (let i = 0; i < 20; i++) {
    // Typing in the last cell: a new text each time, then completions at `model.`.
    const text = `const typed${i} = ${i};\nmodel.`;
    t0 = performance.now();
    service.update(notebook(text));
    service.completions('last', { line: 1, character: 6 });
    later.push(performance.now() - t0);
  }

  const diagnostics: number[] = [];
  for (let i = 0; i < 5; i++) {
    service.update(notebook(`steps = ${i};`));
    t0 = performance.now();
    service.diagnostics();
    diagnostics.push(performance.now() - t0);
  }
  globalThis.gc?.();
  const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
  service.dispose();
  rmSync(folder, { recursive: true, force: true });

  const results = {
    cells: CELLS,
    loadTypescriptMs: +loadMs.toFixed(0),
    firstCompletionMs: +firstMs.toFixed(0),
    laterCompletionMs: +median(later).toFixed(1),
    allDiagnosticsMs: +median(diagnostics).toFixed(1),
    heapMb: +heapMb.toFixed(0),
  };
  console.log(`language service, ${CELLS}-cell notebook`);
  console.log(`node start + load typescript, service   ${results.loadTypescriptMs} ms`);
  console.log(
    `first completion (cold, after the load)  ${results.firstCompletionMs} ms   (budget with the load: 1000)`,
  );
  console.log(`later completion after an edit           ${results.laterCompletionMs} ms   (median of 20; budget 100)`);
  console.log(`diagnostics of every cell after an edit  ${results.allDiagnosticsMs} ms   (median of 5)`);
  console.log(
    `heap used                                ${results.heapMb} MB${globalThis.gc ? '' : ' (no --expose-gc)'}`,
  );
  console.log('BENCH_JSON ' + JSON.stringify({ bench: 'language', node: process.version, results }));
}

void main();
