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

/** Five Adam steps of a char-LM-like model; returns every parameter after them. */
function train(make: (rng: Rng) => RecurrentModel): Float32Array[] {
  const rng = new Rng(4);
  const model = make(rng);
  const head = new Linear(model.hiddenSize * model.directions, 11, { rng });
  const params = parametersOf([model, head]);
  const optimizer = new Adam(1e-2);
  // Calls large enough that the helper, once posted to, starts before this thread has finished
  // its own half and would take the helper's back (that happens on a loaded machine with tiny calls).
  const [T, B] = [13, 48];
  const inputs = Tensor.zeros([T, B, 11]);
  const targets = Tensor.zeros([T, B]);
  for (let n = 0; n < T * B; n++) {
    inputs.data[n * 11 + rng.int(11)] = 1;
    targets.data[n] = rng.int(11);
  }
  for (let i = 0; i < 5; i++)
    trainStep({ model, head, params, optimizer, inputs, targets, loss: 'crossEntropy', target: 'sequence' });
  return params.map((p) => p.data as Float32Array);
}

const MODELS: Array<[string, (rng: Rng) => RecurrentModel]> = [
  ['LSTM, 2 layers', (rng) => new LSTM({ inputSize: 11, hiddenSize: 97, numLayers: 2, rng })],
  [
    'peephole LSTM, bidirectional',
    (rng) => new LSTM({ inputSize: 11, hiddenSize: 60, variant: 'peephole', bidirectional: true, rng }),
  ],
  ['GRU (Cho)', (rng) => new GRU({ inputSize: 11, hiddenSize: 89, resetAfter: false, rng })],
];

test('training on two threads is bit-identical to one thread, and the helper thread does part of the work', async () => {
  setEngine('wasm');
  try {
    const one = MODELS.map(([, make]) => train(make));
    const worker = startWasmHelper({});
    assert.ok(worker, 'the helper thread started');
    // Let it come up, so it takes calls rather than leaving them to be taken back.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = threadStats().helper;
    const two = MODELS.map(([, make]) => train(make));
    assert.ok(threadStats().helper - before > 20, `the helper ran ${threadStats().helper - before} calls`);
    MODELS.forEach(([name], i) => assert.deepEqual(two[i], one[i], name));
    detachHelper();
    await worker.terminate();
  } finally {
    setEngine('js');
  }
});

test('LSTM_NOTEBOOK_THREADS=1 starts no helper', () => {
  assert.equal(startWasmHelper({ LSTM_NOTEBOOK_THREADS: '1' }), null);
});
