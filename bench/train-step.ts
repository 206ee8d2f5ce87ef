/**
 * `npm run bench`: time one training step — forward over the sequence, BPTT, Adam update —
 * of a character-level LSTM language model (one-hot input → LSTM → Linear → softmax CE),
 * float32, one thread, as issue 2 specifies:
 *   tiny:   vocab 16, hidden 32,  batch 1,  seq 50
 *   small:  vocab 65, hidden 128, batch 32, seq 64
 *   medium: vocab 65, hidden 512, batch 64, seq 100
 * FLOPs per step = 6 × (4H(V+H) + HV) × B × T (2 per multiply-add; forward + 2× backward).
 * With one-hot inputs the core skips the zero products of the input side, so GFLOP/s is the
 * dense-equivalent rate: the formula's work over the measured time.
 *
 * Prints a table and one line `BENCH_JSON {...}`. `--only tiny,small` picks configurations.
 */
import { Adam, LSTM, Linear, parametersOf, Rng, Tensor, trainStep } from '../core/index';

interface Config { name: string; V: number; H: number; B: number; T: number; warmup: number; reps: number }

const CONFIGS: Config[] = [
  { name: 'tiny', V: 16, H: 32, B: 1, T: 50, warmup: 20, reps: 200 },
  { name: 'small', V: 65, H: 128, B: 32, T: 64, warmup: 2, reps: 10 },
  { name: 'medium', V: 65, H: 512, B: 64, T: 100, warmup: 1, reps: 3 },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function run(c: Config): Record<string, number | string> {
  const rng = new Rng(1);
  const model = new LSTM({ inputSize: c.V, hiddenSize: c.H, rng, dtype: 'float32' });
  const head = new Linear(c.H, c.V, { rng, dtype: 'float32' });
  const optimizer = new Adam(1e-3);
  const params = parametersOf([model, head]);
  const inputs = Tensor.zeros([c.T, c.B, c.V], 'float32');
  const targets = Tensor.zeros([c.T, c.B], 'float32');
  for (let n = 0; n < c.T * c.B; n++) {
    inputs.data[n * c.V + rng.int(c.V)] = 1;
    targets.data[n] = rng.int(c.V);
  }
  const step = (): void => {
    trainStep({ model, head, params, optimizer, inputs, targets, loss: 'crossEntropy', target: 'sequence' });
  };
  for (let i = 0; i < c.warmup; i++) step();
  const times: number[] = [];
  for (let i = 0; i < c.reps; i++) {
    const t0 = performance.now();
    step();
    times.push(performance.now() - t0);
  }
  const ms = median(times);
  const flops = 6 * (4 * c.H * (c.V + c.H) + c.H * c.V) * c.B * c.T;
  return {
    config: c.name, V: c.V, H: c.H, B: c.B, T: c.T, reps: c.reps,
    msPerStep: +ms.toFixed(3), minMs: +Math.min(...times).toFixed(3),
    tokensPerSec: Math.round((c.B * c.T) / (ms / 1000)),
    gflops: +(flops / (ms / 1000) / 1e9).toFixed(3),
  };
}

const onlyArg = process.argv.indexOf('--only');
const only = onlyArg >= 0 ? process.argv[onlyArg + 1].split(',') : null;
const results = CONFIGS.filter((c) => !only || only.includes(c.name)).map((c) => {
  const r = run(c);
  console.log(`${String(r.config).padEnd(7)} ${String(r.msPerStep).padStart(10)} ms/step (min ${r.minMs})  ${String(r.tokensPerSec).padStart(8)} tokens/s  ${String(r.gflops).padStart(6)} GFLOP/s  [V=${r.V} H=${r.H} B=${r.B} T=${r.T}, median of ${r.reps}]`);
  return r;
});
console.log('BENCH_JSON ' + JSON.stringify({ bench: 'lstm-lm-train-step', node: process.version, results }));
