// Runs one integration suite inside a real VS Code (code-server) `runs` times, each in a fresh
// window, and returns the JSON each run's suite wrote to the file named by LSTM_NOTEBOOK_BENCH_OUT
// (bench/activation.mjs and bench/language-vscode.mjs measure through it). `report(result, k)`
// is called after each run. A run whose suite failed before writing ends the process with a line
// that says how to see why.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runIntegration } from '../test/vscode/run-integration.mjs';

export function runsFromArgs(defaultRuns = 3) {
  const at = process.argv.indexOf('--runs');
  return at > 0 ? Number(process.argv[at + 1]) : defaultRuns;
}

export async function measureSuite(files, runs, report) {
  const dir = mkdtempSync(join(tmpdir(), `lstm-notebook-bench-${files}-`));
  const results = [];
  try {
    for (let k = 0; k < runs; k++) {
      const out = join(dir, `${files}-${k}.json`);
      const started = Date.now();
      const log = console.log;
      console.log = () => {}; // the suite's log is long; only its exit code and the JSON are needed
      let code;
      try {
        code = await runIntegration({ files, env: { LSTM_NOTEBOOK_BENCH_OUT: out } });
      } finally {
        console.log = log;
      }
      // The JSON is written before the suite checks anything else: a run over budget still counts.
      if (!existsSync(out)) {
        console.error(
          `bench: run ${k + 1}: the ${files} suite failed before measuring (exit ${code}); run node test/vscode/run-integration.mjs --files ${files} to see why`,
        );
        process.exit(1);
      }
      const result = { ...JSON.parse(readFileSync(out, 'utf8')), wallSeconds: (Date.now() - started) / 1000 };
      results.push(result);
      report(result, k);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
