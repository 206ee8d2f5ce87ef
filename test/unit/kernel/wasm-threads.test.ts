/**
 * The WebAssembly engine's helper thread (extension/kernel/wasm-helper.ts): it takes work, and
 * training on two threads gives bit for bit what one thread gives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detachHelper, setEngine, threadStats } from '../../../core/host';
import { GRU } from '../../../core/gru';
import { Linear } from '../../../core/linear';
import { LSTM } from '../../../core/lstm';
import { parametersOf } from '../../../core/module';
import { Adam } from '../../../core/optim/adam';
import type { RecurrentModel } from '../../../core/recurrent/model';
import { Rng } from '../../../core/random';
import { Tensor } from '../../../core/tensor';
import { trainStep } from '../../../core/train';
import { startWasmHelper } from '../../../extension/kernel/wasm-helper';

interface Case {
  name: string;
  make: (rng: Rng) => RecurrentModel;
  /** Targets (the head's outputs), steps T, batch B and Adam steps. */
  classes: number;
  T: number;
  B: number;
  steps: number;
}

/** Adam steps of a char-LM-like model (one-hot inputs); returns every parameter after them. */
function train({ make, classes, T, B, steps }: Case): Float32Array[] {
  const rng = new Rng(4);
  const model = make(rng);
  const head = new Linear(model.hiddenSize * model.directions, classes, { rng });
  const params = parametersOf([model, head]);
  const optimizer = new Adam(1e-2);
  const inputs = Tensor.zeros([T, B, 11]);
  const targets = Tensor.zeros([T, B]);
  for (let n = 0; n < T * B; n++) {
    inputs.data[n * 11 + rng.int(11)] = 1;
    targets.data[n] = rng.int(classes);
  }
  for (let i = 0; i < steps; i++)
    trainStep({ model, head, params, optimizer, inputs, targets, loss: 'crossEntropy', target: 'sequence' });
  return params.map((p) => p.data as Float32Array);
}

// Calls large enough that the helper, once posted to, starts before this thread has finished
// its own half and would take the helper's back (that happens on a loaded machine with tiny calls).
const CASES: Case[] = [
  {
    name: 'LSTM, 2 layers',
    make: (rng) => new LSTM({ inputSize: 11, hiddenSize: 97, numLayers: 2, rng }),
    classes: 11,
    T: 13,
    B: 48,
    steps: 5,
  },
  {
    name: 'peephole LSTM, bidirectional',
    make: (rng) => new LSTM({ inputSize: 11, hiddenSize: 60, variant: 'peephole', bidirectional: true, rng }),
    classes: 11,
    T: 13,
    B: 48,
    steps: 5,
  },
  {
    name: 'GRU (Cho)',
    make: (rng) => new GRU({ inputSize: 11, hiddenSize: 89, resetAfter: false, rng }),
    classes: 11,
    T: 13,
    B: 48,
    steps: 5,
  },
  // Large enough for the passes split by rows or columns (core/kernels/wasm/softmax.ts,
  // core/recurrent/wasm-layer.ts): 2048 × 128 logits, 2048 rows × 1024 gate columns.
  {
    name: 'LSTM, H 256, 128 classes, 2048 rows',
    make: (rng) => new LSTM({ inputSize: 11, hiddenSize: 256, rng }),
    classes: 128,
    T: 32,
    B: 64,
    steps: 2,
  },
];

test('training on two threads is bit-identical to one thread, and the helper thread does part of the work', async () => {
  setEngine('wasm');
  try {
    const one = CASES.map(train);
    const worker = startWasmHelper({});
    assert.ok(worker, 'the helper thread started');
    // Let it come up, so it takes calls rather than leaving them to be taken back.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = threadStats().helper;
    const two = CASES.map(train);
    assert.ok(threadStats().helper - before > 20, `the helper ran ${threadStats().helper - before} calls`);
    CASES.forEach(({ name }, i) => assert.deepEqual(two[i], one[i], name));
    detachHelper();
    await worker.terminate();
  } finally {
    setEngine('js');
  }
});

test('LSTM_NOTEBOOK_THREADS=1 starts no helper', () => {
  assert.equal(startWasmHelper({ LSTM_NOTEBOOK_THREADS: '1' }), null);
});
