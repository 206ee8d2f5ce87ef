// Activation time of the extension inside a real VS Code (code-server 1.139.1), as the
// extension host sees it: `await extension.activate()` from the integration suite's
// extension.test.js — loading dist/extension.js, creating the controller, registering
// commands — in a fresh window each run, after VS Code's own extensions have settled.
// Budget: under 300 ms. Prints a table and a BENCH_JSON line.
//   npm run bench:vscode [-- --runs 5]
import { measureSuite, runsFromArgs } from './suite-runs.mjs';

const BUDGET_MS = 300;
const runs = runsFromArgs();
const results = await measureSuite('extension', runs, (result, k) =>
  console.log(
    `run ${k + 1}: activate() ${result.activationMs.toFixed(1)} ms (VS Code ${result.vscode}; whole run ${result.wallSeconds.toFixed(1)} s)`,
  ),
);
const samples = results.map((r) => r.activationMs);
const wallSamples = results.map((r) => r.wallSeconds);

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
