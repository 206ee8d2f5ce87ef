/**
 * What VS Code's JavaScript debugger shows for tensors and models: js-debug calls an object's
 * `[Symbol.for('debug.description')]()` for the variables view, hovers and the debug console.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Embedding } from '../../../core/embedding';
import { GRU } from '../../../core/gru';
import { Linear } from '../../../core/linear';
import { LSTM } from '../../../core/lstm';
import { Tensor } from '../../../core/tensor';

const describeForDebugger = (value: object): string =>
  (value as Record<symbol, () => string>)[Symbol.for('debug.description')]();

test('a tensor shows its shape, dtype and first six values, 4 decimals, nan and inf by name', () => {
  assert.equal(
    describeForDebugger(
      Tensor.from([
        [1, -2.5],
        [Number.NaN, -Infinity],
      ]),
    ),
    'Tensor [2, 2] float32 [1.0000, -2.5000, nan, -inf]',
  );
  assert.equal(
    describeForDebugger(Tensor.from([0, 0.00001, 123456, 0.5, 2, 3, 4], undefined, 'float64')),
    'Tensor [7] float64 [0.0000, 1.0000e-5, 1.2346e+5, 0.5000, 2.0000, 3.0000, …]',
  );
  assert.equal(describeForDebugger(Tensor.zeros([0, 3])), 'Tensor [0, 3] float32 []');
});

test('models show their one-line summary', () => {
  assert.equal(describeForDebugger(new LSTM({ inputSize: 2, hiddenSize: 8, numLayers: 2 })), 'LSTM(2 → 8, 2 layers)');
  assert.equal(describeForDebugger(new GRU({ inputSize: 3, hiddenSize: 4 })), 'GRU(3 → 4, reset-after)');
  assert.equal(describeForDebugger(new Linear(4, 2)), 'Linear(4 → 2)');
  assert.equal(describeForDebugger(new Embedding(10, 3)), 'Embedding(10, 3)');
});
