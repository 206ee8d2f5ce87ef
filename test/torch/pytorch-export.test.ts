/**
 * exportPyTorch against the real engine: Debian's PyTorch runs the exported project.
 *   - Same numbers: train.py from the exported weights, with the same batches in the same order,
 *     gives the losses our train() gives, step for step, for 20 steps: an LSTM on the adding task
 *     (MSE, Adam, clipping); LSTM and GRU char-LMs (cross-entropy at every step, SGD momentum, a
 *     schedule); the Greff variants and Cho's GRU, which torch.nn lacks; RMSprop and Adagrad.
 *   - Distributed for real: torchrun --standalone --nproc_per_node=2 (CPU, gloo) trains 20 steps;
 *     its checkpoint loads back into the notebook's model and its loss falls.
 * PyTorch must be installed (test/vscode/run-all.mjs installs it); without it these tests fail.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { Adam } from '../../core/optim/adam';
import { SGD } from '../../core/optim/sgd';
import { RMSprop } from '../../core/optim/rmsprop';
import { Adagrad } from '../../core/optim/adagrad';
import { RNN } from '../../core/rnn';
import { CharCorpus } from '../../core/data/corpus';
import * as tasks from '../../core/data/tasks';
import { GRU } from '../../core/gru';
import { Linear } from '../../core/linear';
import { LSTM } from '../../core/lstm';
import { Rng } from '../../core/random';
import { cosine } from '../../core/schedule';
import { loadSafetensors } from '../../core/statedict';
import { train } from '../../core/train';
import { pytorchProject, type PyTorchProjectSpec } from '../../interop/pytorch';
import { assertClose } from '../helpers/fixtures';

const PYTHON = '/usr/bin/python3';
const TORCHRUN = '/usr/bin/torchrun';
const work = mkdtempSync(join(tmpdir(), 'lstm-notebook-torch-'));
after(() => rmSync(work, { recursive: true, force: true }));

function write(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

function runPython(dir: string, command: string, args: string[]): string {
  const result = spawnSync(command, args, {
    cwd: dir,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
  assert.equal(result.status, 0, `${command} ${args.join(' ')}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** Exports, runs train.py for `steps` without shuffling, and returns its losses and ours. */
async function bothLosses(name: string, spec: PyTorchProjectSpec, steps: number) {
  const dir = join(work, name);
  write(dir, pytorchProject({ ...spec, shuffle: false }));
  runPython(dir, PYTHON, ['train.py', '--steps', String(steps), '--no-shuffle', '--out', join(dir, 'single')]);
  const theirs = JSON.parse(readFileSync(join(dir, 'single', 'losses.json'), 'utf8')) as number[];
  const modules = spec.head ? ([spec.model, spec.head] as const) : spec.model;
  const history = await train(modules as never, spec.data, {
    optimizer: spec.optimizer,
    loss: spec.loss,
    batchSize: spec.batchSize,
    epochs: spec.epochs,
    clip: spec.clip,
    clipValue: spec.clipValue,
    schedule: spec.schedule,
    shuffle: false,
    maxSteps: steps,
  });
  return { dir, ours: history.steps.map((s) => s.loss), theirs };
}

test('an LSTM on the adding task: train.py’s first 20 losses are ours (MSE, Adam, clipping)', async () => {
  const data = tasks.adding({ length: 12, count: 160, seed: 3 });
  const model = new LSTM({ inputSize: 2, hiddenSize: 8, numLayers: 2, rng: new Rng(1) });
  const head = new Linear(8, 1);
  const { ours, theirs } = await bothLosses(
    'adding',
    { model, head, data, optimizer: new Adam(1e-2), batchSize: 16, epochs: 3, clip: 0.5 },
    20,
  );
  assert.equal(theirs.length, 20);
  assertClose(theirs, ours, 1e-4, 1e-6, 'losses, step by step');
  assert.ok(ours[19] < ours[0], `the loss falls: ${ours[0]} → ${ours[19]}`);
});

for (const kind of ['LSTM', 'GRU'] as const) {
  test(`a bidirectional ${kind} char-LM: cross-entropy at every step, SGD with momentum and a cosine schedule`, async () => {
    const corpus = new CharCorpus('to be or not to be, that is the question: whether tis nobler in the mind to suffer');
    const data = corpus.dataset({ seqLength: 10, stride: 3 });
    const Model = kind === 'LSTM' ? LSTM : GRU;
    const model = new Model({ inputSize: corpus.vocab.length, hiddenSize: 12, bidirectional: true, rng: new Rng(2) });
    const head = new Linear(24, corpus.vocab.length);
    const { ours, theirs } = await bothLosses(
      `char-lm-${kind}`,
      {
        model,
        head,
        data,
        optimizer: new SGD({ lr: 0.5, momentum: 0.9 }),
        batchSize: 8,
        epochs: 10,
        schedule: cosine({ total: 30, min: 0.05 }),
      },
      20,
    );
    assertClose(theirs, ours, 1e-4, 1e-6, 'losses, step by step');
  });
}

for (const variant of ['peephole', 'cifg', 'fgr', 'nig', 'noaf'] as const) {
  test(`the ${variant} LSTM, which torch.nn lacks, exports as recurrent.py's GreffLSTM: the same 20 losses`, async () => {
    const data = tasks.adding({ length: 8, count: 96, seed: 6 });
    const model = new LSTM({
      inputSize: 2,
      hiddenSize: 6,
      variant,
      numLayers: 2,
      bidirectional: true,
      rng: new Rng(7),
    });
    const head = new Linear(12, 1);
    const { dir, ours, theirs } = await bothLosses(
      `lstm-${variant}`,
      { model, head, data, optimizer: new Adam(1e-2), batchSize: 12, epochs: 3 },
      20,
    );
    assert.match(readFileSync(join(dir, 'model.py'), 'utf8'), /self\.rnn = GreffLSTM\(/);
    assertClose(theirs, ours, 1e-4, 1e-6, `${variant}: losses, step by step`);
  });
}

test('RMSprop (centered, momentum) and Adagrad (lr decay) train as torch.optim’s do: the same 20 losses', async () => {
  for (const [name, optimizer] of [
    ['rmsprop', new RMSprop({ lr: 1e-2, centered: true, momentum: 0.5, weightDecay: 1e-3 })],
    ['adagrad', new Adagrad({ lr: 0.1, lrDecay: 0.01, initialAccumulatorValue: 0.1 })],
  ] as const) {
    const data = tasks.adding({ length: 8, count: 96, seed: 10 });
    const model = new RNN({ inputSize: 2, hiddenSize: 6, rng: new Rng(11) });
    const { ours, theirs } = await bothLosses(
      `optimizer-${name}`,
      { model, head: new Linear(6, 1), data, optimizer, batchSize: 12, epochs: 3, clipValue: 0.5 },
      20,
    );
    assertClose(theirs, ours, 1e-4, 1e-6, `${name}: losses, step by step`);
  }
});

test("Cho's GRU (reset before), which torch.nn lacks, exports as recurrent.py's ChoGRU: the same 20 losses", async () => {
  const data = tasks.adding({ length: 8, count: 96, seed: 8 });
  const model = new GRU({ inputSize: 2, hiddenSize: 6, resetAfter: false, numLayers: 2, rng: new Rng(9) });
  const head = new Linear(6, 1);
  const { dir, ours, theirs } = await bothLosses(
    'gru-cho',
    { model, head, data, optimizer: new Adam(1e-2), batchSize: 12, epochs: 3 },
    20,
  );
  assert.match(readFileSync(join(dir, 'model.py'), 'utf8'), /self\.rnn = ChoGRU\(/);
  assertClose(theirs, ours, 1e-4, 1e-6, 'losses, step by step');
});

test('torchrun with two processes trains 20 steps; the checkpoint loads back into the notebook model', () => {
  const data = tasks.adding({ length: 12, count: 320, seed: 4 });
  const model = new LSTM({ inputSize: 2, hiddenSize: 8, rng: new Rng(5) });
  const head = new Linear(8, 1);
  const dir = join(work, 'distributed');
  write(dir, pytorchProject({ model: [model, head], data, optimizer: new Adam(1e-2), batchSize: 32 }));
  const printed = runPython(dir, TORCHRUN, [
    '--standalone',
    '--nproc_per_node=2',
    // torchrun of PyTorch 1.13 under Python 3.11 (Debian 12's) cannot parse its default of 0 for
    // these (enum.Flag no longer lists a zero member); any other value works.
    '--redirects=1',
    '--tee=1',
    'train.py',
    '--steps',
    '20',
    '--out',
    join(dir, 'ddp'),
  ]);
  assert.match(printed, /20 steps, last loss/);
  const losses = JSON.parse(readFileSync(join(dir, 'ddp', 'losses.json'), 'utf8')) as number[];
  assert.equal(losses.length, 20);
  const first = losses.slice(0, 5).reduce((a, b) => a + b) / 5;
  const last = losses.slice(-5).reduce((a, b) => a + b) / 5;
  assert.ok(last < first, `the loss falls under torchrun: ${first} → ${last}`);

  // Back into the notebook: the trained weights differ from the exported ones and fit the model.
  const bytes = readFileSync(join(dir, 'ddp', 'checkpoint.safetensors'));
  const before = JSON.stringify(model.stateDict());
  model.loadStateDict(loadSafetensors(bytes, { prefix: 'rnn.' }));
  head.loadStateDict(loadSafetensors(bytes, { prefix: 'head.' }));
  assert.notEqual(JSON.stringify(model.stateDict()), before, 'the weights trained elsewhere are loaded');
  const { inputs, targets } = data.batch(0, 64);
  const out = head.forward(model.forward(inputs).output);
  const T = inputs.shape[0];
  let mse = 0;
  for (let b = 0; b < 64; b++) mse += (out.data[(T - 1) * 64 + b] - targets.data[b]) ** 2;
  assert.ok(mse / 64 < first, `the loaded model's loss ${mse / 64} is below the start's ${first}`);
});
