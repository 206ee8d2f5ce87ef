/**
 * Gradient norms and clipping against torch.nn.utils.clip_grad_norm_ / clip_grad_value_ 1.13.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clipGradNorm, clipGradValue, gradNorm } from '../../../core/clip';
import { Tensor } from '../../../core/tensor';
import { EncodedTensor, TOLERANCE, assertClose, loadFixture, toTensor } from '../../helpers/fixtures';

interface ClipCase {
  name: string;
  kind: 'norm' | 'value';
  maxNorm?: number;
  normType?: number | 'inf';
  clipValue?: number;
  grads: EncodedTensor[];
  totalNorm?: number;
  clipped: EncodedTensor[];
}

const fixture = loadFixture('optim.json') as { clip: ClipCase[] };

function withGrads(grads: EncodedTensor[], dtype: 'float32' | 'float64'): Tensor[] {
  return grads.map((g) => {
    const p = Tensor.zeros(g.shape, dtype);
    p.grad = toTensor(g, dtype).data;
    return p;
  });
}

for (const c of fixture.clip) {
  for (const dtype of ['float64', 'float32'] as const) {
    test(`${c.name} (${dtype}) matches torch`, () => {
      const { rtol, atol } = TOLERANCE[dtype];
      const params = withGrads(c.grads, dtype);
      if (c.kind === 'norm') {
        const p = c.normType === 'inf' ? Infinity : c.normType!;
        assertClose([gradNorm(params, p)], [c.totalNorm!], rtol, atol, 'gradNorm');
        const total = clipGradNorm(params, c.maxNorm!, p);
        assertClose([total], [c.totalNorm!], rtol, atol, 'returned norm');
        if (c.totalNorm! > c.maxNorm!) assertClose([gradNorm(params, p)], [c.maxNorm!], 1e-5, 0, 'norm after clipping');
      } else {
        clipGradValue(params, c.clipValue!);
      }
      params.forEach((q, i) => assertClose(q.grad!, c.clipped[i].data, rtol, atol, `${c.name} grad ${i}`));
    });
  }
}

test('gradNorm is the 2-norm over all gradients; parameters without one are skipped', () => {
  const a = Tensor.zeros([2], 'float64').requireGrad();
  a.grad!.set([3, 0]);
  const b = Tensor.zeros([1], 'float32').requireGrad();
  b.grad!.set([4]);
  const none = Tensor.zeros([5], 'float64');
  assert.equal(gradNorm([a, none, b]), 5);
  assert.equal(gradNorm([]), 0);
  assert.equal(clipGradNorm([none], 1), 0);
  assert.equal(clipGradNorm([a, b], 10), 5);
  assert.deepEqual(Array.from(a.grad!), [3, 0], 'below maxNorm: untouched');
  assert.equal(clipGradNorm([a, b], 1), 5);
  assertClose(a.grad!, [3 / (5 + 1e-6), 0], 1e-15, 0);
});

test('the 2-norm neither overflows nor underflows; NaN propagates', () => {
  const big = Tensor.zeros([3], 'float64').requireGrad();
  big.grad!.set([1e200, 1e200, 1e200]);
  assertClose([gradNorm([big])], [1e200 * Math.sqrt(3)], 1e-15, 0);
  assertClose([gradNorm([big], 3)], [1e200 * Math.cbrt(3)], 1e-14, 0);
  const tiny = Tensor.zeros([2], 'float64').requireGrad();
  tiny.grad!.set([3e-200, 4e-200]);
  assertClose([gradNorm([tiny])], [5e-200], 1e-15, 0);
  const nan = Tensor.zeros([2], 'float64').requireGrad();
  nan.grad!.set([1, NaN]);
  assert.ok(Number.isNaN(gradNorm([nan])));
  assert.ok(Number.isNaN(gradNorm([nan], Infinity)));
});

test('clipGradValue clamps each entry and leaves NaN', () => {
  const p = Tensor.zeros([4], 'float32').requireGrad();
  p.grad!.set([-3, 0.25, 2, NaN]);
  clipGradValue([p], 1);
  assert.deepEqual(Array.from(p.grad!), [-1, 0.25, 1, NaN]);
});

test('clip errors name what was expected and what was given', () => {
  const p = Tensor.zeros([2]).requireGrad();
  assert.throws(() => clipGradNorm([p], -1), /clipGradNorm: maxNorm: expected a number in \[0, Infinity\], got -1/);
  assert.throws(() => clipGradNorm([p], 1, 0), /clipGradNorm: normType expected a number > 0 or Infinity, got 0/);
  assert.throws(() => gradNorm([p], -Infinity), /gradNorm: normType expected a number > 0 or Infinity, got -Infinity/);
  assert.throws(
    () => clipGradValue([p], NaN),
    /clipGradValue: clipValue: expected a number in \[0, Infinity\], got NaN/,
  );
  assert.throws(
    () => gradNorm(p as unknown as Tensor[]),
    /gradNorm: expected an array of parameter Tensors \(e\.g\. parametersOf\(model\)\), got a Tensor/,
  );
  assert.throws(
    () => clipGradNorm([p, null as unknown as Tensor], 1),
    /clipGradNorm: expected an array of parameter Tensors, got null at index 1/,
  );
});
