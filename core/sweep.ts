/**
 * A race of model variants in one call, as Greff et al. (2015, "LSTM: A Search Space Odyssey")
 * ran theirs: every variant × every seed trained for the same number of optimizer steps on the
 * same task, then scored by its test loss; the variants ranked by their median test loss.
 *
 * Determinism: a run depends only on its variant's factory and its seed, never on which runs
 * came before it. From the seed come two generators — one handed to the factory (weights), one
 * shuffling the training set — and the global generator is reseeded too, so a factory that
 * forgets its `rng` argument is still reproducible. Wall time is kept (`ms`) but never enters
 * the ranking or the tables.
 *
 * Like train(), it reports through callbacks (onStep, onRun) and returns values; it never prints.
 */
import type { SequenceDataset } from './data/dataset';
import { LstmError, checkInt, checkKeys, checkNumber, describe } from './errors';
import { Adam } from './optim/adam';
import type { Optimizer } from './optim/optimizer';
import { Rng, globalRng } from './random';
import { evaluate, train, unpackTrainable } from './train';
import type { CallbackResult, LossName, StepInfo, Trainable } from './train';
import { SweepResults, type SweepRun } from './sweep-results';

/** Builds one contender from the run's generator: a model, or `[model, head]`, as train() takes. */
export type VariantFactory = (rng: Rng) => Trainable;

/** The data of one run: what it trains on and what it is scored on. */
export interface SweepTask {
  /** What each run trains on. */
  train: SequenceDataset;
  /** What each run is scored on, after training. */
  test: SequenceDataset;
}

/** What sweep() passes to onStep: train()'s step, which run it belongs to, and the results so far. */
export interface SweepStepInfo extends StepInfo {
  /** The variant of the run this step belongs to. */
  variant: string;
  /** The seed of the run this step belongs to. */
  seed: number;
  /** The runs finished before this one. */
  results: SweepResults;
}

/** Options of sweep(). `variants`, `seeds`, `task` and `steps` are required. */
export interface SweepOptions {
  /** The contenders: `{ name: rng => model }`, or a list of `{ name, make }` (the order is the table's before ranking). */
  variants: Record<string, VariantFactory> | ReadonlyArray<{ name: string; make: VariantFactory }>;
  /** The seeds every variant runs with, or a count n for seeds 0 … n − 1. */
  seeds: number | readonly number[];
  /** The same data for every run, or one task per seed (`seed => ({ train, test })`). */
  task: SweepTask | ((seed: number) => SweepTask);
  /** Optimizer steps per run: every run gets this same budget. */
  steps: number;
  /** Sequences per batch. Default 32. */
  batchSize?: number;
  /** A fresh optimizer per run, e.g. `() => new Adam(1e-2)`. Default Adam with `lr`. */
  optimizer?: () => Optimizer;
  /** The learning rate of the default Adam (not with `optimizer`). Default 1e-3. */
  lr?: number;
  /** As train(): default 'crossEntropy' for class targets, 'mse' otherwise. */
  loss?: LossName;
  /** Clip the global gradient norm to this value, as train() does. */
  clip?: number;
  /** A run counts as solved when its test loss is below this; the table counts solved runs. */
  solvedBelow?: number;
  /** After each optimizer step of each run; return false or 'stop' to end the whole sweep. */
  onStep?: (info: SweepStepInfo) => CallbackResult;
  /** After each run, with the results so far; return false or 'stop' to end the sweep. */
  onRun?: (run: SweepRun, results: SweepResults) => CallbackResult;
}

const SWEEP_KEYS = [
  'variants',
  'seeds',
  'task',
  'steps',
  'batchSize',
  'optimizer',
  'lr',
  'loss',
  'clip',
  'solvedBelow',
  'onStep',
  'onRun',
];

/**
 * Trains every variant with every seed for `steps` optimizer steps, scores each run on the test
 * set, and returns the results ranked by median test loss (best first). Runs go variant by
 * variant, seed by seed; each run's numbers do not depend on that order.
 * @example const race = await sweep({ variants: { lstm: (rng) => [new LSTM({ inputSize: 2, hiddenSize: 8, rng }), new Linear(8, 1, { rng })] }, seeds: 3, task: { train, test }, steps: 300 });
 * @throws {LstmError} for a missing, unknown or bad option (naming what was expected and what was
 * given), a factory that does not return a model or `[model, head]`, and as train() does.
 */
export async function sweep(options: SweepOptions): Promise<SweepResults> {
  const o = checkOptions(options);
  const results = new SweepResults(
    o.variants.map((v) => v.name),
    o.seeds,
    o.steps,
    o.solvedBelow,
  );
  let stopped = false;
  for (const { name, make } of o.variants) {
    for (const seed of o.seeds) {
      const started = Date.now();
      const base = new Rng(seed);
      const init = base.fork();
      const shuffle = base.fork();
      // Reseeded per run: a factory (or a task) that draws from the global generator gives the
      // same run whatever ran before it.
      globalRng.reseed(base.nextUint32());
      const task = o.task(seed);
      const modules = make(init);
      unpackTrainable(`sweep: variant "${name}" returned`, modules);
      const optimizer = o.optimizer();
      if (!optimizer || typeof optimizer.step !== 'function')
        throw new LstmError(
          `sweep: optimizer expected a function returning an optimizer, e.g. () => new Adam(1e-2); it returned ${describe(optimizer)}`,
        );
      const batches = Math.ceil(task.train.size / o.batchSize);
      const history = await train(modules, task.train, {
        epochs: Math.ceil(o.steps / batches),
        maxSteps: o.steps,
        batchSize: o.batchSize,
        optimizer,
        loss: o.loss,
        clip: o.clip,
        rng: shuffle,
        onStep: async (info) => {
          const answer = await o.onStep?.({ ...info, variant: name, seed, results });
          if (answer === false || answer === 'stop') stopped = true;
          return answer;
        },
      });
      const curve = history.steps.map((s) => s.loss);
      const tail = curve.slice(-Math.max(1, Math.ceil(curve.length / 10)));
      const score = evaluate(modules, task.test, { loss: history.loss });
      const run: SweepRun = {
        variant: name,
        seed,
        testLoss: score.loss,
        ...(score.accuracy !== undefined ? { testAccuracy: score.accuracy } : {}),
        trainLoss: tail.reduce((a, b) => a + b, 0) / tail.length,
        steps: curve.length,
        curve,
        ms: Date.now() - started,
      };
      results.add(run, history.loss);
      const answer = await o.onRun?.(run, results);
      if (stopped || answer === false || answer === 'stop') return results.stop();
    }
  }
  return results;
}

interface Checked {
  variants: Array<{ name: string; make: VariantFactory }>;
  seeds: number[];
  task: (seed: number) => SweepTask;
  steps: number;
  batchSize: number;
  optimizer: () => Optimizer;
  loss?: LossName;
  clip?: number;
  solvedBelow?: number;
  onStep?: SweepOptions['onStep'];
  onRun?: SweepOptions['onRun'];
}

function checkOptions(options: SweepOptions): Checked {
  if (options === undefined || options === null || typeof options !== 'object')
    throw new LstmError(`sweep: expected options { variants, seeds, task, steps }, got ${describe(options)}`);
  checkKeys('sweep', options, SWEEP_KEYS);
  for (const key of ['variants', 'seeds', 'task', 'steps'] as const)
    if (options[key] === undefined)
      throw new LstmError(`sweep: option "${key}" is required (expected { variants, seeds, task, steps }), got none`);
  const variants = checkVariants(options.variants);
  const seeds =
    typeof options.seeds === 'number'
      ? Array.from({ length: checkInt('sweep: seeds', options.seeds, 1) }, (_, k) => k)
      : checkSeeds(options.seeds);
  const steps = checkInt('sweep: steps', options.steps, 1);
  const batchSize = checkInt('sweep: batchSize', options.batchSize ?? 32, 1);
  if (options.clip !== undefined) checkNumber('sweep: clip', options.clip, 0);
  if (options.solvedBelow !== undefined) checkNumber('sweep: solvedBelow', options.solvedBelow);
  for (const key of ['onStep', 'onRun'] as const)
    if (options[key] !== undefined && typeof options[key] !== 'function')
      throw new LstmError(`sweep: ${key} expected a function, got ${describe(options[key])}`);
  if (options.optimizer !== undefined && options.lr !== undefined)
    throw new LstmError('sweep: expected optimizer or lr, got both; give the learning rate to the optimizer you make');
  if (options.optimizer !== undefined && typeof options.optimizer !== 'function')
    throw new LstmError(
      `sweep: optimizer expected a function making a fresh optimizer for each run, e.g. () => new Adam(1e-2), got ${describe(options.optimizer)} (one optimizer shared by every run would carry its state from run to run)`,
    );
  const lr = checkNumber('sweep: lr', options.lr ?? 1e-3, 0);
  return {
    variants,
    seeds,
    task: checkTask(options.task),
    steps,
    batchSize,
    optimizer: options.optimizer ?? (() => new Adam(lr)),
    loss: options.loss,
    clip: options.clip,
    solvedBelow: options.solvedBelow,
    onStep: options.onStep,
    onRun: options.onRun,
  };
}

function checkVariants(v: SweepOptions['variants']): Array<{ name: string; make: VariantFactory }> {
  const expected = 'expected { name: (rng) => model } or a list of { name, make }';
  if (typeof v !== 'object' || v === null) throw new LstmError(`sweep: variants ${expected}, got ${describe(v)}`);
  const list = Array.isArray(v)
    ? (v as Array<{ name: string; make: VariantFactory }>)
    : Object.entries(v).map(([name, make]) => ({ name, make }));
  if (list.length === 0) throw new LstmError(`sweep: variants ${expected}, got none`);
  const seen = new Set<string>();
  list.forEach((entry, k) => {
    if (!entry || typeof entry.name !== 'string' || entry.name === '' || typeof entry.make !== 'function')
      throw new LstmError(
        `sweep: variants[${k}] expected a name and a function (rng) => model, got ${describe(entry?.make ?? entry)}${entry?.name ? ` for "${entry.name}"` : ''}`,
      );
    if (seen.has(entry.name)) throw new LstmError(`sweep: variant names must differ, got "${entry.name}" twice`);
    seen.add(entry.name);
  });
  return list.map(({ name, make }) => ({ name, make }));
}

function checkSeeds(seeds: unknown): number[] {
  if (!Array.isArray(seeds) || seeds.length === 0)
    throw new LstmError(`sweep: seeds expected a count ≥ 1 or a non-empty list of seeds, got ${describe(seeds)}`);
  seeds.forEach((s, k) => checkInt(`sweep: seeds[${k}]`, s, 0, 2 ** 53 - 1));
  if (new Set(seeds).size !== seeds.length)
    throw new LstmError(`sweep: seeds must differ (a repeated seed repeats a run), got ${describe(seeds)}`);
  return [...(seeds as number[])];
}

function checkTask(task: SweepOptions['task']): (seed: number) => SweepTask {
  const check = (t: SweepTask, where: string): SweepTask => {
    const isData = (d: unknown) =>
      typeof d === 'object' && d !== null && typeof (d as SequenceDataset).batch === 'function';
    if (!t || typeof t !== 'object' || !isData(t.train) || !isData(t.test))
      throw new LstmError(
        `sweep: task${where} expected { train, test } (two data sets, e.g. data.split(0.9)), got ${describe(t)}`,
      );
    return t;
  };
  if (typeof task === 'function') return (seed) => check(task(seed), ` (seed ${seed})`);
  const fixed = check(task, '');
  return () => fixed;
}
