/**
 * Kernel benchmarks: cold start (new worker → first result), round trip of an empty
 * cell, throughput of streamed console.log lines, and the variables view's request with 100
 * variables (tensors, models, arrays, numbers, strings). Uses the bundled worker (dist/worker.js).
 * Prints a table and a BENCH_JSON line; nothing is asserted.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KernelSession } from '../extension/kernel/session';

const WORKER = join(__dirname, '..', '..', 'dist', 'worker.js');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function coldStart(): Promise<number> {
  const t0 = performance.now();
  const session = new KernelSession({ workerPath: WORKER, notebookDir: process.cwd() });
  await session.execute('1 + 1', 'Cell 1');
  const ms = performance.now() - t0;
  await session.dispose();
  return ms;
}

async function main(): Promise<void> {
  const cold: number[] = [];
  for (let i = 0; i < 5; i++) cold.push(await coldStart());

  const session = new KernelSession({ workerPath: WORKER, notebookDir: process.cwd() });
  await session.whenReady();
  for (let i = 0; i < 20; i++) await session.execute('', 'warm-up');
  const trips: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    await session.execute('', 'Cell');
    trips.push(performance.now() - t0);
  }

  const lines = 200_000;
  let received = 0;
  const t0 = performance.now();
  await session.execute(`for (let i = 0; i < ${lines}; i++) console.log('line', i);`, 'Cell', (o) => {
    if (o.type === 'stream') received += o.text.split('\n').length - 1;
  });
  const streamSeconds = (performance.now() - t0) / 1000;

  // What the Variables view asks after each cell: 100 names of every kind the rows describe.
  await session.execute(
    [
      "import { LSTM, Tensor } from 'lstm-notebook';",
      'for (let k = 0; k < 20; k++) {',
      '  (globalThis as any)[`t${k}`] = Tensor.zeros([64, 32, 128]);',
      '  (globalThis as any)[`m${k}`] = new LSTM({ inputSize: 16, hiddenSize: 64 });',
      '  (globalThis as any)[`a${k}`] = Array.from({ length: 1000 }, (_, i) => i);',
      '  (globalThis as any)[`n${k}`] = k;',
      "  (globalThis as any)[`s${k}`] = 'x'.repeat(1000);",
      '}',
    ].join('\n'),
    'Cell',
  );
  const asks: number[] = [];
  let described = 0;
  for (let i = 0; i < 50; i++) {
    const t1 = performance.now();
    described = (await session.variables()).length;
    asks.push(performance.now() - t1);
  }
  await session.dispose();
  if (described < 100) throw new Error(`the variables request described ${described} names, expected ≥ 100`);
  if (received !== lines) throw new Error(`received ${received} of ${lines} lines`);

  const results = {
    coldStartMs: +median(cold).toFixed(1),
    emptyCellRoundTripMs: +median(trips).toFixed(3),
    consoleLinesPerSec: Math.round(lines / streamSeconds),
    variablesRequestMs: +median(asks).toFixed(2),
  };
  console.log(`kernel cold start (new worker → first result)  ${results.coldStartMs} ms (median of 5)`);
  console.log(`empty cell round trip                         ${results.emptyCellRoundTripMs} ms (median of 200)`);
  console.log(`console.log throughput                        ${results.consoleLinesPerSec} lines/s (${lines} lines)`);
  console.log(
    `${`variables view request (${described} names)`.padEnd(46)}${results.variablesRequestMs} ms (median of 50)`,
  );
  console.log('BENCH_JSON ' + JSON.stringify({ bench: 'kernel', node: process.version, results }));
}

void main();
