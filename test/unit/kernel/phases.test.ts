/**
 * The bench's breakdown of a step by phase (core/kernels/phases.ts): profiling changes no bit of
 * training, every phase of an LSTM step is charged (the helper's share too), no phase goes negative, and
 * the main thread's phases fit inside the wall time they were measured in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detachHelper, profilePhases, setEngine, takePhaseTotals, threadStats } from '../../../core/host';
import { Linear } from '../../../core/linear';
import { LSTM } from '../../../core/lstm';
import { parametersOf } from '../../../core/module';
import { Adam } from '../../../core/optim/adam';
import { Rng } from '../../../core/random';
import { Tensor } from '../../../core/tensor';
import { trainStep } from '../../../core/train';
import { startWasmHelper } from '../../../extension/kernel/wasm-helper';

/** Three Adam steps of a small char model (batch large enough to split between threads); every parameter after them. */
function train(): Float32Array[] {
  const rng = new Rng(9);
  const model = new LSTM({ inputSize: 13, hiddenSize: 40, rng });
  const head = new Linear(40, 13, { rng });
  const params = parametersOf([model, head]);
  const optimizer = new Adam(1e-2);
  const [T, B] = [17, 24];
  const inputs = Tensor.zeros([T, B, 13]);
  const targets = Tensor.zeros([T, B]);
  for (let n = 0; n < T * B; n++) {
    inputs.data[n * 13 + rng.int(13)] = 1;
    targets.data[n] = rng.int(13);
  }
  for (let i = 0; i < 3; i++)
    trainStep({ model, head, params, optimizer, inputs, targets, loss: 'crossEntropy', target: 'sequence' });
  return params.map((p) => p.data as Float32Array);
}

test('a profiled LSTM step is charged phase by phase and trains bit for bit as an unprofiled one', async () => {
  setEngine('wasm');
  const worker = startWasmHelper({});
  assert.ok(worker, 'the helper thread started');
  await new Promise((resolve) => setTimeout(resolve, 300));
  try {
    const plain = train();
    assert.deepEqual(takePhaseTotals(), { phases: {}, helperMs: 0 }, 'nothing is charged while profiling is off');

    profilePhases(() => performance.now());
    const ranBefore = threadStats().helper;
    const t0 = performance.now();
    const profiled = train();
    const wall = performance.now() - t0;
    const helperCalls = threadStats().helper - ranBefore;
    const { phases, helperMs } = takePhaseTotals();
    profilePhases(null);

    assert.deepEqual(profiled, plain, 'profiling changed the training');
    for (const name of [
      'input projection',
      'packing',
      'recurrent gemm',
      'gate math',
      'output layer',
      'softmax-CE',
      'gate backward',
      'backward gemm',
      '∂W accumulation',
      'gradient norm',
      'optimizer',
    ])
      assert.ok(phases[name] > 0, `phase ${name}: ${phases[name]} ms`);
    for (const [name, ms] of Object.entries(phases)) assert.ok(ms >= 0, `phase ${name} went negative: ${ms} ms`);
    // The helper takes a call unless it is slow to (a loaded machine): then this thread runs it.
    if (helperCalls > 0) assert.ok(helperMs > 0, `the helper ran ${helperCalls} calls, none charged`);
    else assert.equal(helperMs, 0, 'helper time charged with no call run there');
    const mainMs = Object.values(phases).reduce((a, b) => a + b, 0) - helperMs;
    assert.ok(mainMs <= wall + 0.5, `the main thread's phases (${mainMs} ms) exceed the wall time (${wall} ms)`);
  } finally {
    profilePhases(null);
    detachHelper();
    await worker.terminate();
    setEngine('js');
  }
});
