/**
 * Embedding (core/embedding.ts): the lookup y[n] = W[index[n]] row by row, its backward
 * ∂L/∂W[v] = Σ_{n: index[n] = v} ∂L/∂y[n] by finite differences, and the errors for indices
 * it cannot look up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Embedding } from '../../../core/embedding';
import { gradCheck } from '../../../core/gradcheck';
import { mseLoss } from '../../../core/loss';
import { weightedSum } from '../../../core/ops';
import { Rng } from '../../../core/random';
import { Tape } from '../../../core/tape';
import { Tensor } from '../../../core/tensor';
import { randn } from '../../helpers/tensors';

const V = 5;
const E = 3;

/** An embedding whose row v is [10v, 10v + 1, 10v + 2]: every looked-up value says where it came from. */
function labelled(dtype: 'float32' | 'float64' = 'float64'): Embedding {
  const emb = new Embedding(V, E, { dtype, rng: new Rng(1) });
  for (let v = 0; v < V; v++) for (let e = 0; e < E; e++) emb.weight.data[v * E + e] = 10 * v + e;
  return emb;
}

test('forward looks up row index[n] for every position, keeping the indices’ shape', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    const emb = labelled(dtype);
    const indices = Tensor.from(
      [
        [4, 0, 2],
        [2, 2, 1],
      ],
      undefined,
      'float64',
    );
    const y = emb.forward(indices);
    assert.deepEqual(y.shape, [2, 3, E]);
    assert.equal(y.dtype, dtype);
    const expected = [
      [
        [40, 41, 42],
        [0, 1, 2],
        [20, 21, 22],
      ],
      [
        [20, 21, 22],
        [20, 21, 22],
        [10, 11, 12],
      ],
    ];
    assert.deepEqual(y.toArray(), expected);
  }
});

test('forward takes a flat array, as [length] or in the shape given', () => {
  const emb = labelled();
  assert.deepEqual(emb.forward([3, 1]).toArray(), [
    [30, 31, 32],
    [10, 11, 12],
  ]);
  assert.deepEqual(emb.forward(Int32Array.from([0, 4, 1, 1]), { shape: [2, 2] }).shape, [2, 2, E]);
  assert.deepEqual(emb.forward([0, 4, 1, 1], { shape: [2, 2] }).toArray(), [
    [
      [0, 1, 2],
      [40, 41, 42],
    ],
    [
      [10, 11, 12],
      [10, 11, 12],
    ],
  ]);
});

test('∂L/∂W matches finite differences in float64, with repeated and unused rows', () => {
  const emb = new Embedding(V, E, { dtype: 'float64', rng: new Rng(2) });
  // Row 2 is looked up three times (its gradient sums three terms), row 3 never (gradient 0).
  const indices = [2, 0, 2, 4, 1, 2];
  const target = randn([indices.length, E], 7);
  // A quadratic loss, so the gradient depends on W and a wrong row would show.
  const loss = (tape?: Tape): Tensor => mseLoss(emb.forward(indices, { tape }), target, { tape, reduction: 'sum' });
  // Central differences are exact for a quadratic, up to rounding (~1e-16·L/ε): 1e-7 is ample.
  const report = gradCheck(loss, [['weight', emb.weight]], { eps: 1e-6, tolerance: 1e-7 });
  assert.ok(report.ok, `worst ${JSON.stringify(report.worst)}`);
  assert.equal(report.checked, V * E);
});

test('backward scatters ∂L/∂y[n] into row index[n], adding repeats, leaving other rows alone', () => {
  const emb = labelled();
  emb.weight.requireGrad();
  emb.weight.grad!.fill(0.5); // gradients accumulate: what was there stays
  const indices = [1, 3, 1];
  const tape = new Tape();
  const w = Tensor.from([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, E], 'float64');
  tape.backward(weightedSum(emb.forward(indices, { tape }), w, tape));
  // ∂L/∂y = w, so row 1 gets w[0] + w[2] = [8, 10, 12], row 3 gets w[1] = [4, 5, 6].
  assert.deepEqual(
    Array.from(emb.weight.grad!),
    [0.5, 0.5, 0.5, 8.5, 10.5, 12.5, 0.5, 0.5, 0.5, 4.5, 5.5, 6.5, 0.5, 0.5, 0.5],
  );
});

test('an index it cannot look up is an error naming where it is, what was expected and what was given', () => {
  const emb = labelled();
  const range = /expected an integer in \[0, 4\] \(numEmbeddings 5\)/;
  assert.throws(
    () => emb.forward([0, 5]),
    (e: Error) => range.test(e.message) && /indices\[1\].*got 5$/.test(e.message),
  );
  assert.throws(() => emb.forward([-1]), /Embedding\.forward: indices\[0\] expected an integer in \[0, 4\].*got -1$/);
  assert.throws(() => emb.forward([1.5]), /indices\[0\] expected an integer .* got 1\.5$/);
  assert.throws(() => emb.forward([NaN]), /indices\[0\] expected an integer .* got NaN$/);
  const grid = Tensor.from([0, 1, 2, 3, 4, 7], [2, 3], 'float64');
  assert.throws(() => emb.forward(grid), /Embedding\.forward: indices\[1, 2\] expected an integer in \[0, 4\].*got 7$/);
  assert.throws(() => emb.forward('abc' as never), /expected integer indices \(array or Tensor\), got "abc"/);
  assert.throws(
    () => emb.forward([0, 1, 2], { shape: [2, 2] }),
    /Embedding\.forward: shape \[2, 2\] holds 4 indices, got 3/,
  );
});
