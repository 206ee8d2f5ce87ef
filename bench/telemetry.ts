/**
 * `npm run bench` / `npm run bench:telemetry`: what gate telemetry while training costs. A
 * character-level LSTM (tinyshakespeare, V 65, H 128, B 32, T 64, Adam, clip 1, float32) is
 * trained in a real kernel (dist/worker.js, default engine and threads) through the notebook's
 * train(), so the display updates, payload building and messages to the host are all counted:
 *
 *   none        plot: false
 *   loss        plot: true                                  (the live loss curve alone)
 *   gates/100   plot: { gates: probe, every: 100 }          (+ gate heatmap and saturation)
 *   gates/10    plot: { gates: probe, every: 10 }
 *   gates/1     plot: { gates: probe, every: 1 }            (a magnifier, see below)
 *
 * with a probe of 8 sequences of 64 characters. Variants alternate within each round (rotated
 * each round) so they see the same machine at the same moment. A run is `STEPS` steps, timed
 * inside the cell from the call to train() to its return, and includes the probe's trace before
 * training and after the last step (so gates/100 pays three traces per 200 steps, more than a
 * long run would). Two clocks:
 *   - CPU time of the whole process (process.cpuUsage(): the kernel worker, the engine's helper
 *     thread, and this host thread receiving the updates) — all the work telemetry adds, and
 *     less disturbed by other processes on a shared machine than wall time. The overhead is the
 *     median over rounds of a variant's CPU time over that of `none` in the same round;
 *   - wall time, as the user waits: steps/s of the fastest run (and the median). On a loaded
 *     machine it varies by tens of percent from run to run: read it with the CPU column.
 * Then the parts, timed alone in the kernel: one probe trace, and building the gate and saturation
 * payloads from it (what an update that is sent costs). The expected overhead at `every` is a
 * trace per `every` steps plus a build per update sent (one per `every` steps, at most one per
 * 100 ms); gates/1 checks that prediction where it is large enough to measure.
 *
 * Prints a table and one line `BENCH_JSON {...}`. `--quick` runs fewer rounds. Nothing is asserted.
 */
import { join } from 'node:path';
import { KernelSession } from '../extension/kernel/session';

const WORKER = join(__dirname, '..', '..', 'dist', 'worker.js');
const quick = process.argv.includes('--quick');
const STEPS = 200;
const ROUNDS = quick ? 2 : 5;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

const VARIANTS: Array<{ name: string; plot: string }> = [
  { name: 'none', plot: 'false' },
  { name: 'loss', plot: 'true' },
  { name: 'gates/100', plot: '{ gates: probe, every: 100 }' },
  { name: 'gates/10', plot: '{ gates: probe, every: 10 }' },
  // A magnifier: at every step the cost is large enough to see through the noise, and should
  // match what the parts predict — which is how the small overhead at every 100 is known.
  { name: 'gates/1', plot: '{ gates: probe, every: 1 }' },
];

const SETUP = `
import { seed, LSTM, Linear, Adam, train, plot, CharCorpus, TINY_SHAKESPEARE } from 'lstm-notebook';
const corpus = new CharCorpus(TINY_SHAKESPEARE);
const data = corpus.dataset({ seqLength: 64 });
const probe = data.batch(0, 8).inputs; // [64, 8, 65]
async function timed(plotOption: unknown): Promise<string> {
  seed(1);
  const model = new LSTM({ inputSize: corpus.vocabSize, hiddenSize: 128 });
  const head = new Linear(128, corpus.vocabSize);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await train([model, head], data, { epochs: 1, batchSize: 32, maxSteps: ${STEPS}, optimizer: new Adam(3e-3), clip: 1, plot: plotOption as boolean });
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  return JSON.stringify({ wall, cpu: (cpu.user + cpu.system) / 1000 });
}
function parts(): string {
  seed(1);
  const model = new LSTM({ inputSize: corpus.vocabSize, hiddenSize: 128 });
  const med = (f: () => void) => { const t: number[] = []; for (let i = 0; i < 15; i++) { const t0 = performance.now(); f(); t.push(performance.now() - t0); } return t.sort((a, b) => a - b)[7]; };
  const trace = model.traceOf(probe);
  const traceMs = med(() => model.traceOf(probe));
  const buildMs = med(() => { plot.gates(trace); plot.saturation(trace); });
  return JSON.stringify({ traceMs, buildMs });
}
`;

/** Runs a cell; what it printed. */
async function printed(session: KernelSession, code: string, name: string): Promise<string> {
  let text = '';
  const result = await session.execute(code, name, (o) => {
    if (o.type === 'stream' && o.name === 'stdout') text += o.text;
  });
  if (!result.ok) throw new Error(`${name}: ${result.error?.message}`);
  return text.trim();
}

async function main(): Promise<void> {
  const session = new KernelSession({ workerPath: WORKER, notebookDir: process.cwd() });
  await session.whenReady();
  await printed(session, SETUP, 'setup');
  await printed(session, 'await timed(false);', 'warm-up'); // the engine's buffers and JIT, once
  const ms: Record<string, number[]> = Object.fromEntries(VARIANTS.map((v) => [v.name, []]));
  const cpuMs: Record<string, number[]> = Object.fromEntries(VARIANTS.map((v) => [v.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // Rotated each round, so no variant always runs first (or right after the heaviest).
    for (let k = 0; k < VARIANTS.length; k++) {
      const v = VARIANTS[(k + round) % VARIANTS.length];
      const { wall, cpu } = JSON.parse(await printed(session, `console.log(await timed(${v.plot}));`, v.name)) as {
        wall: number;
        cpu: number;
      };
      ms[v.name].push(wall);
      cpuMs[v.name].push(cpu);
    }
  }
  const { traceMs, buildMs } = JSON.parse(await printed(session, 'console.log(parts());', 'parts')) as {
    traceMs: number;
    buildMs: number;
  };
  await session.dispose();

  const best = (name: string) => Math.min(...ms[name]);
  const stepMs = best('none') / STEPS;
  /** The median over rounds of x's CPU time over base's in the same round, as a percentage above 1. */
  const paired = (x: string, base: string) =>
    +(100 * (median(cpuMs[x].map((c, round) => c / cpuMs[base][round])) - 1)).toFixed(1);
  const results = VARIANTS.map((v) => ({
    variant: v.name,
    stepsPerSec: +(STEPS / (best(v.name) / 1000)).toFixed(2),
    medianStepsPerSec: +(STEPS / (median(ms[v.name]) / 1000)).toFixed(2),
    cpuMsPerStep: +(median(cpuMs[v.name]) / STEPS).toFixed(2),
    cpuOverheadVsNonePercent: paired(v.name, 'none'),
    cpuOverheadVsLossPercent: paired(v.name, 'loss'),
    wallOverheadVsNonePercent: +((100 * (best(v.name) - best('none'))) / best('none')).toFixed(1),
    runsMs: ms[v.name].map((x) => Math.round(x)),
  }));
  /** A trace every `every` steps, and a payload build per update sent (at most one per 100 ms). */
  const expected = (every: number) =>
    +((100 * (traceMs / every + buildMs * Math.min(1 / every, stepMs / 100))) / stepMs).toFixed(2);
  console.log(`gate telemetry while training: char-LM LSTM V 65, H 128, B 32, T 64; probe [64, 8, 65]`);
  console.log(`${STEPS} steps a run, ${ROUNDS} alternating rounds, timed inside the cell`);
  console.log(
    'steps/s: fastest run (median); CPU: process CPU time per step (median) and, paired by round, above none and loss\n',
  );
  console.log('variant       steps/s  (median)   CPU ms/step  CPU vs none  CPU vs loss   wall vs none   runs (ms)');
  for (const r of results)
    console.log(
      [
        r.variant.padEnd(12),
        r.stepsPerSec.toFixed(2).padStart(8),
        `(${r.medianStepsPerSec.toFixed(2)})`.padStart(9),
        r.cpuMsPerStep.toFixed(1).padStart(13),
        `${r.cpuOverheadVsNonePercent}%`.padStart(12),
        `${r.cpuOverheadVsLossPercent}%`.padStart(12),
        `${r.wallOverheadVsNonePercent}%`.padStart(14),
        `  ${r.runsMs.join(' ')}`,
      ].join(' '),
    );
  console.log(
    `\nparts: one probe trace ${traceMs.toFixed(2)} ms, its gate + saturation payloads ${buildMs.toFixed(2)} ms; a step ${stepMs.toFixed(1)} ms` +
      ` → expected overhead ${expected(100)}% at every 100, ${expected(10)}% at every 10, ${expected(1)}% at every 1`,
  );
  console.log(
    'BENCH_JSON ' +
      JSON.stringify({
        bench: 'telemetry',
        node: process.version,
        steps: STEPS,
        rounds: ROUNDS,
        results,
        parts: { traceMs: +traceMs.toFixed(3), buildMs: +buildMs.toFixed(3), stepMs: +stepMs.toFixed(3) },
        expectedOverheadPercent: { every100: expected(100), every10: expected(10), every1: expected(1) },
      }),
  );
}

void main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
