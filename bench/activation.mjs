// Activation time of the extension inside a real VS Code (code-server 1.139.1), as the
// extension host sees it: `await extension.activate()` from the integration suite's
// extension.test.js — loading dist/extension.js, creating the controller, registering
// commands — in a fresh window each run, after VS Code's own extensions have settled.
// Budget: under 300 ms. Prints a table and a BENCH_JSON line.
//   npm run bench:vscode [-- --runs 5]
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runIntegration } from '../test/vscode/run-integration.mjs';

const BUDGET_MS = 300;
const runsAt = process.argv.indexOf('--runs');
const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 3;
const dir = mkdtempSync(join(tmpdir(), 'lstm-notebook-bench-'));
const samples = [];
const wallSamples = [];
for (let k = 0; k < runs; k++) {
  const out = join(dir, `activation-${k}.json`);
  const started = Date.now();
  // The suite's log is long and not needed here: only its exit code and the JSON count.
  const log = console.log;
  console.log = () => {};
  let code;
  try {
    code = await runIntegration({ files: 'extension', env: { LSTM_NOTEBOOK_BENCH_OUT: out } });
  } finally {
    console.log = log;
  }
  // The JSON is written before the suite checks the budget: an over-budget run still counts.
  if (!existsSync(out)) {
    console.error(
      `bench: run ${k + 1}: the extension suite failed before measuring (exit ${code}); run node test/vscode/run-integration.mjs --files extension to see why`,
    );
    process.exit(1);
  }
  const result = JSON.parse(readFileSync(out, 'utf8'));
  samples.push(result.activationMs);
  wallSamples.push((Date.now() - started) / 1000);
  console.log(
    `run ${k + 1}: activate() ${result.activationMs.toFixed(1)} ms (VS Code ${result.vscode}; whole run ${wallSamples.at(-1).toFixed(1)} s)`,
  );
}
rmSync(dir, { recursive: true, force: true });

const sorted = [...samples].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
console.log('\nactivation of lstm-notebook in code-server (extension host, fresh window per run)');
console.log('  runs   median ms   min ms   max ms   budget ms');
console.log(
  `  ${String(runs).padEnd(6)} ${median.toFixed(1).padStart(9)} ${sorted[0].toFixed(1).padStart(8)} ${sorted.at(-1).toFixed(1).padStart(8)} ${String(BUDGET_MS).padStart(11)}`,
);
console.log(
  `BENCH_JSON ${JSON.stringify({ bench: 'activation', runs, medianMs: +median.toFixed(1), minMs: +sorted[0].toFixed(1), maxMs: +sorted.at(-1).toFixed(1), budgetMs: BUDGET_MS, withinBudget: median < BUDGET_MS, secondsPerRun: +(wallSamples.reduce((a, b) => a + b, 0) / runs).toFixed(1) })}`,
);
process.exit(median < BUDGET_MS ? 0 : 1);
