/**
 * sweep(): runs that depend only on their variant and seed (same options twice, or a variant
 * raced alone or beside another, give the same numbers), the step budget, the ranking by median
 * test loss (on losses written by hand), accuracy for class targets, stopping, and the errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adding, temporalOrder } from '../../../core/data/tasks';
import { GRU } from '../../../core/gru';
import { Linear } from '../../../core/linear';
import { LSTM } from '../../../core/lstm';
import { Adam } from '../../../core/optim/adam';
import { SGD } from '../../../core/optim/sgd';
import { Rng, globalRng, seed } from '../../../core/random';
import { sweep, type SweepOptions, type VariantFactory } from '../../../core/sweep';
import { SweepResults, median, type SweepRun } from '../../../core/sweep-results';

const [trainSet, testSet] = adding({ length: 8, count: 120, seed: 1 }).split(0.75);
const task = { train: trainSet, test: testSet };
const lstm: VariantFactory = (rng) => [new LSTM({ inputSize: 2, hiddenSize: 4, rng }), new Linear(4, 1, { rng })];
const gru: VariantFactory = (rng) => [new GRU({ inputSize: 2, hiddenSize: 4, rng }), new Linear(4, 1, { rng })];
const base = { task, steps: 6, batchSize: 16, optimizer: () => new Adam(1e-2) };

/** The runs without their wall time, which is the one thing allowed to differ. */
const numbers = (runs: SweepRun[]) => runs.map(({ ms: _ms, ...rest }) => rest);

test('the same options twice give identical runs, whatever the global generator was doing', async () => {
  seed(11);
  const a = await sweep({ ...base, variants: { lstm, gru }, seeds: [3, 5] });
  seed(99);
  globalRng.random();
  const b = await sweep({ ...base, variants: { lstm, gru }, seeds: [3, 5] });
  assert.equal(a.runs.length, 4);
  assert.deepEqual(numbers(b.runs), numbers(a.runs));
  assert.equal(b.toString(), a.toString());
  // Different seeds are different runs (the seed reaches the weights).
  assert.notEqual(a.runs[0].testLoss, a.runs[1].testLoss);
});

test('a variant raced alone gives the same runs as beside another (run order does not matter)', async () => {
  // A factory that ignores its rng and draws from the global generator: still independent.
  const forgetful: VariantFactory = () => [new LSTM({ inputSize: 2, hiddenSize: 4 }), new Linear(4, 1)];
  const pair = await sweep({ ...base, variants: { lstm, forgetful }, seeds: 2 });
  const alone = await sweep({ ...base, variants: { forgetful }, seeds: 2 });
  const reversed = await sweep({
    ...base,
    variants: [
      { name: 'forgetful', make: forgetful },
      { name: 'lstm', make: lstm },
    ],
    seeds: [1, 0],
  });
  const of = (r: SweepResults, name: string) =>
    numbers(r.runs.filter((x) => x.variant === name)).sort((x, y) => x.seed - y.seed);
  assert.deepEqual(of(alone, 'forgetful'), of(pair, 'forgetful'));
  assert.deepEqual(of(reversed, 'forgetful'), of(pair, 'forgetful'));
  assert.deepEqual(of(reversed, 'lstm'), of(pair, 'lstm'));
});

test('every run gets exactly `steps` optimizer steps, over several epochs when one is too short', async () => {
  // 90 training sequences in batches of 16: 6 batches an epoch, so 14 steps take 3 epochs.
  const r = await sweep({ ...base, steps: 14, variants: { lstm }, seeds: 1 });
  assert.equal(r.runs[0].steps, 14);
  assert.equal(r.runs[0].curve.length, 14);
  assert.equal(r.loss, 'mse');
  // trainLoss: the mean of the last tenth of the batch losses — here the last 2 of 14.
  const [a, b] = r.runs[0].curve.slice(-2);
  assert.equal(r.runs[0].trainLoss, (a + b) / 2);
});

test('seeds: a count n means seeds 0 … n − 1', async () => {
  const r = await sweep({ ...base, variants: { lstm }, seeds: 3 });
  assert.deepEqual(
    r.runs.map((x) => x.seed),
    [0, 1, 2],
  );
});

test('variants rank by median test loss, then mean, then the order given; no runs last', () => {
  const r = new SweepResults(['a', 'b', 'c', 'd', 'e'], [0, 1, 2, 3], 10, 0.2);
  const run = (variant: string, seed: number, testLoss: number): SweepRun => ({
    variant,
    seed,
    testLoss,
    trainLoss: 0,
    steps: 10,
    curve: [],
    ms: 0,
  });
  // a: median of 0.1, 0.3, 0.5, 0.9 = 0.4; b: one run 0.4 (tie on median, lower mean wins over a's 0.45);
  // c: 0.05, 1 → median 0.525; d: one NaN (ranks below numbers); e: no runs.
  for (const [k, v] of [0.1, 0.9, 0.3, 0.5].entries()) r.add(run('a', k, v), 'mse');
  r.add(run('b', 0, 0.4), 'mse');
  r.add(run('c', 0, 0.05), 'mse');
  r.add(run('c', 1, 1), 'mse');
  r.add(run('d', 0, NaN), 'mse');
  assert.deepEqual(
    r.variants.map((v) => [v.name, v.rank, v.median, v.solved]),
    [
      ['b', 1, 0.4, 0],
      ['a', 2, 0.4, 1],
      ['c', 3, 0.525, 1],
      ['d', 4, NaN, 0],
      ['e', null, NaN, 0],
    ],
  );
  assert.equal(r.variants[1].mean, 0.45);
  assert.equal(r.variants[1].min, 0.1);
  assert.equal(r.variants[1].max, 0.9);
  assert.equal(r.best?.name, 'b');
  assert.equal(median([3, 1, 2]), 2);
  const text = r.toString().split('\n');
  assert.equal(text[0], 'Sweep: 5 variants × 4 seeds × 10 steps · 8 of 20 runs done');
  assert.match(text[2], /^ {3}1 {2}b +1\/4 +0\.4 +0\.4 +0\.4 +0\.4 +0$/);
  assert.match(text[6], /^ {3}– {2}e +0\/4 +– +– +– +– +–$/);
});

test('class targets: accuracy per run and the median per variant; the table gains a column', async () => {
  const [tr, te] = temporalOrder({ length: 10, count: 80, seed: 2 }).split(0.5);
  const r = await sweep({
    variants: { lstm: (rng) => [new LSTM({ inputSize: 8, hiddenSize: 4, rng }), new Linear(4, 4, { rng })] },
    seeds: 2,
    task: { train: tr, test: te },
    steps: 3,
  });
  assert.equal(r.loss, 'crossEntropy');
  for (const run of r.runs) assert.ok(run.testAccuracy! >= 0 && run.testAccuracy! <= 1);
  assert.equal(r.variants[0].medianAccuracy, median(r.runs.map((x) => x.testAccuracy!)));
  assert.match(r.toString(), /median accuracy/);
});

test('a task per seed: the function is called with each seed', async () => {
  const asked: number[] = [];
  await sweep({
    ...base,
    variants: { lstm },
    seeds: [4, 7],
    task: (s) => {
      asked.push(s);
      return task;
    },
  });
  assert.deepEqual(asked, [4, 7]);
});

test('onRun sees the results grow; returning "stop" ends the sweep with the runs so far', async () => {
  const seen: string[] = [];
  const r = await sweep({
    ...base,
    variants: { lstm, gru },
    seeds: 2,
    onRun: (run, results) => {
      seen.push(`${run.variant}/${run.seed}: ${results.runs.length}`);
      return results.runs.length === 3 ? 'stop' : undefined;
    },
  });
  assert.deepEqual(seen, ['lstm/0: 1', 'lstm/1: 2', 'gru/0: 3']);
  assert.equal(r.stopped, true);
  assert.match(r.toString(), /3 of 4 runs done[\s\S]*stopped before every run was done$/);
});

test('bad options are refused, naming what was expected and what was given', async () => {
  const ok: SweepOptions = { ...base, variants: { lstm }, seeds: 1 };
  const refuses = (options: unknown, message: RegExp) =>
    assert.rejects(() => sweep(options as SweepOptions), { name: 'LstmError', message });
  await refuses(undefined, /^sweep: expected options \{ variants, seeds, task, steps \}, got undefined$/);
  await refuses({ ...ok, steps: undefined }, /^sweep: option "steps" is required/);
  await refuses({ ...ok, epochs: 3 }, /^sweep: unknown option "epochs"; expected one of variants, seeds/);
  await refuses({ ...ok, steps: 0 }, /^sweep: steps: expected an integer ≥ 1, got 0$/);
  await refuses({ ...ok, seeds: [] }, /^sweep: seeds expected a count ≥ 1 or a non-empty list of seeds, got \[\]$/);
  await refuses({ ...ok, seeds: [1, 1] }, /^sweep: seeds must differ .*got \[1, 1\]$/);
  await refuses({ ...ok, seeds: [1.5] }, /^sweep: seeds\[0\]: expected an integer ≥ 0, got 1\.5$/);
  await refuses({ ...ok, variants: {} }, /^sweep: variants expected \{ name: \(rng\) => model \} .*got none$/);
  await refuses(
    { ...ok, variants: { lstm: 3 } },
    /^sweep: variants\[0\] expected a name and a function \(rng\) => model, got 3 for "lstm"$/,
  );
  await refuses(
    {
      ...ok,
      variants: [
        { name: 'a', make: lstm },
        { name: 'a', make: gru },
      ],
    },
    /^sweep: variant names must differ, got "a" twice$/,
  );
  await refuses({ ...ok, task: trainSet }, /^sweep: task expected \{ train, test \} .*got a SequenceDataset$/);
  await refuses(
    { ...ok, optimizer: new SGD(0.1) },
    /^sweep: optimizer expected a function making a fresh optimizer .*got a SGD/,
  );
  await refuses({ ...ok, optimizer: () => new Adam(1e-2), lr: 0.1 }, /^sweep: expected optimizer or lr, got both/);
  await refuses(
    { ...ok, variants: { bad: () => new Linear(2, 1) } },
    /^sweep: variant "bad" returned: expected a recurrent model or \[model, head\] with head a Linear, got a Linear$/,
  );
  await refuses(
    { ...ok, variants: { wide: (rng: Rng) => new LSTM({ inputSize: 3, hiddenSize: 1, rng }) } },
    /^train: the model expects inputs of size 3, the dataset "adding.*" has 2$/,
  );
});
