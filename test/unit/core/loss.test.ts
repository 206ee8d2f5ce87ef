/**
 * Losses against PyTorch 1.13 (values and input gradients, float64 to 1e-9, float32 to 1e-4),
 * finite differences, numerical stability at extreme logits, and the errors bad input gets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DType } from '../../../core/dtype';
import { gradCheck } from '../../../core/gradcheck';
import { getEngine, setEngine } from '../../../core/kernels/engine';
import { bceWithLogitsLoss, crossEntropyLoss, mseLoss } from '../../../core/loss';
import type { BceWithLogitsOptions, ClassTargets, CrossEntropyOptions } from '../../../core/loss';
import { Tape } from '../../../core/tape';
import { Tensor } from '../../../core/tensor';
import { EncodedTensor, TOLERANCE, assertClose, loadFixture, toTensor } from '../../helpers/fixtures';
import { randn } from '../../helpers/tensors';

interface LossCase {
  loss: 'mse' | 'cross_entropy' | 'bce_with_logits';
  name: string;
  options: { reduction: 'mean' | 'sum'; ignoreIndex?: number; posWeight?: EncodedTensor };
  input: EncodedTensor;
  target: EncodedTensor | number[];
  value: number;
  grad: EncodedTensor;
  targetGrad?: EncodedTensor;
}

const fixture = loadFixture('losses.json') as { cases: LossCase[] };

/** Runs a fixture case on a tape; returns the loss and the tensors whose gradients were asked for. */
function run(
  c: LossCase,
  dtype: DType,
  classTargets?: (t: number[]) => ClassTargets,
): { value: Tensor; input: Tensor; target: Tensor | null } {
  const tape = new Tape();
  const input = toTensor(c.input, dtype).requireGrad();
  let value: Tensor;
  let target: Tensor | null = null;
  if (c.loss === 'mse') {
    target = toTensor(c.target as EncodedTensor, dtype).requireGrad();
    value = mseLoss(input, target, { reduction: c.options.reduction, tape });
  } else if (c.loss === 'cross_entropy') {
    const labels = c.target as number[];
    const opts: CrossEntropyOptions = { reduction: c.options.reduction, tape };
    if (c.options.ignoreIndex !== undefined) opts.ignoreIndex = c.options.ignoreIndex;
    value = crossEntropyLoss(input, classTargets ? classTargets(labels) : labels, opts);
  } else {
    const opts: BceWithLogitsOptions = { reduction: c.options.reduction, tape };
    if (c.options.posWeight) opts.posWeight = toTensor(c.options.posWeight, dtype);
    value = bceWithLogitsLoss(input, toTensor(c.target as EncodedTensor, dtype), opts);
  }
  tape.backward(value);
  return { value, input, target };
}

test('loss fixtures cover every loss and reduction', () => {
  const names = fixture.cases.map((c) => c.name);
  for (const want of [
    'mse_mean',
    'mse_sum',
    'cross_entropy_mean',
    'cross_entropy_sum',
    'cross_entropy_ignore_default',
    'bce_with_logits_mean',
    'bce_with_logits_pos_weight',
  ]) {
    assert.ok(names.includes(want), want);
  }
});

for (const c of fixture.cases) {
  for (const [dtype, engine] of [
    ['float64', 'js'],
    ['float32', 'js'],
    ['float32', 'wasm'],
  ] as const) {
    test(`${c.name} (${dtype}, ${engine} engine) matches torch: value and gradient`, () => {
      const { rtol, atol } = TOLERANCE[dtype];
      const before = getEngine();
      setEngine(engine);
      let result;
      try {
        result = run(c, dtype);
      } finally {
        setEngine(before);
      }
      const { value, input, target } = result;
      assert.deepEqual(value.shape, []);
      assert.equal(value.dtype, dtype);
      assertClose([value.item()], [c.value], rtol, atol, `${c.name} value`);
      assertClose(input.grad!, c.grad.data, rtol, atol, `${c.name} ∂L/∂input`);
      if (c.targetGrad) assertClose(target!.grad!, c.targetGrad.data, rtol, atol, `${c.name} ∂L/∂target`);
    });
  }
}

test('cross-entropy takes class indices as number[], Int32Array or a float Tensor alike', () => {
  for (const c of fixture.cases.filter((k) => k.loss === 'cross_entropy')) {
    const plain = run(c, 'float64');
    for (const form of [(t: number[]) => Int32Array.from(t), (t: number[]) => Tensor.from(t, [t.length], 'float32')]) {
      const other = run(c, 'float64', form);
      assert.equal(other.value.item(), plain.value.item());
      assert.deepEqual(Array.from(other.input.grad!), Array.from(plain.input.grad!));
    }
  }
});

test('finite differences agree with every loss backward', () => {
  const pred = randn([3, 4], 1);
  const target = randn([3, 4], 2).requireGrad();
  for (const reduction of ['mean', 'sum'] as const) {
    const r = gradCheck((tape) => mseLoss(pred, target, { reduction, tape }), { pred, target });
    assert.ok(r.ok, `mse ${reduction}: ${JSON.stringify(r.worst)}`);
  }
  const logits = randn([6, 5], 3, 2);
  const labels = [4, 0, 1, 3, 2, 2];
  for (const options of [
    { reduction: 'mean' },
    { reduction: 'sum' },
    { ignoreIndex: 2 },
    { reduction: 'sum', ignoreIndex: 0 },
  ] as const) {
    const r = gradCheck((tape) => crossEntropyLoss(logits, labels, { ...options, tape }), { logits });
    assert.ok(r.ok, `cross-entropy ${JSON.stringify(options)}: ${JSON.stringify(r.worst)}`);
  }
  const x = randn([4, 3], 4, 3);
  x.data[0] = 30;
  x.data[1] = -30;
  const y = Tensor.from([0, 1, 0.3, 1, 0, 0.5, 0.9, 0.1, 1, 0, 0, 0.75], [4, 3], 'float64');
  for (const options of [
    {},
    { reduction: 'sum' },
    { posWeight: 2.5 },
    { posWeight: Tensor.from([0.5, 2, 3], [3], 'float64') },
    { posWeight: randn([4, 3], 5).reshape([4, 3]) },
  ] as const) {
    const r = gradCheck((tape) => bceWithLogitsLoss(x, y, { ...(options as BceWithLogitsOptions), tape }), { x });
    assert.ok(r.ok, `bce ${JSON.stringify(options)}: ${JSON.stringify(r.worst)}`);
  }
});

test('extreme logits give finite losses and gradients, in float32 too', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    const logits = Tensor.from(
      [
        [1000, -1000, 0],
        [-1e4, -1e4, -1e4],
        [80, 80, -80],
      ],
      undefined,
      dtype,
    ).requireGrad();
    const tape = new Tape();
    const ce = crossEntropyLoss(logits, [1, 2, 2], { tape, reduction: 'sum' });
    tape.backward(ce);
    // Row 0: lse = 1000 → 2000; row 1: uniform → log 3; row 2: lse = 80 + log 2 → 160 + log 2.
    assertClose([ce.item()], [2000 + Math.log(3) + 160 + Math.log(2)], dtype === 'float32' ? 1e-6 : 1e-12, 0, 'ce');
    assert.ok(Array.from(logits.grad!).every(Number.isFinite));
    assertClose(logits.grad!, [1, -1, 0, 1 / 3, 1 / 3, -2 / 3, 0.5, 0.5, -1], 1e-6, 1e-7, 'ce grad');

    const x = Tensor.from([1000, -1000, 50, -50], [4], dtype).requireGrad();
    const t2 = new Tape();
    const bce = bceWithLogitsLoss(x, Tensor.from([0, 1, 1, 0], [4], dtype), { tape: t2, reduction: 'sum' });
    t2.backward(bce);
    assertClose([bce.item()], [2000 + 2 * Math.log1p(Math.exp(-50))], 1e-7, 0, 'bce');
    assertClose(x.grad!, [1, -1, -Math.exp(-50), Math.exp(-50)], 1e-6, 1e-30, 'bce grad');
    // A confident right answer costs e^{−50}, not 0: the stable form keeps it.
    for (const [logit, y] of [
      [50, 1],
      [-50, 0],
    ]) {
      const l = bceWithLogitsLoss(Tensor.from([logit], [1], 'float64'), Tensor.from([y], [1], 'float64')).item();
      assertClose([l], [Math.log1p(Math.exp(-50))], 1e-15, 0, `bce(${logit}, ${y})`);
    }
  }
});

test('gradients add into existing buffers, and nothing is recorded without a tape', () => {
  const pred = Tensor.from([1, 2, 3], [3], 'float64').requireGrad();
  pred.grad!.fill(10);
  const target = Tensor.from([0, 0, 0], [3], 'float64');
  const tape = new Tape();
  tape.backward(mseLoss(pred, target, { tape, reduction: 'sum' }));
  assert.deepEqual(Array.from(pred.grad!), [12, 14, 16]);
  assert.equal(target.grad, null, 'a target without a buffer gets none');

  const plain = Tensor.from([1, 2, 3], [3], 'float64');
  const loss = mseLoss(plain, target);
  assert.equal(loss.grad, null);
  assert.equal(plain.grad, null);
  assert.equal(loss.item(), 14 / 3);
});

test('cross-entropy: mean is over rows not ignored; all rows ignored gives NaN like torch', () => {
  const logits = Tensor.from(
    [
      [1, 2],
      [3, 0],
      [0, 0],
    ],
    undefined,
    'float64',
  );
  const lse = (a: number, b: number): number => Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
  const l0 = lse(1, 2) - 2;
  const l2 = lse(0, 0) - 0;
  assertClose([crossEntropyLoss(logits, [1, -100, 0]).item()], [(l0 + l2) / 2], 1e-15, 0);
  assertClose([crossEntropyLoss(logits, [1, 7, 0], { ignoreIndex: 7 }).item()], [(l0 + l2) / 2], 1e-15, 0);
  assert.ok(Number.isNaN(crossEntropyLoss(logits, [-100, -100, -100]).item()));
});

test('bceWithLogitsLoss: a scalar posWeight equals a broadcast [C] one and a full-shape one', () => {
  const x = randn([3, 2], 8, 2);
  const y = Tensor.from([0, 1, 0.5, 0.25, 1, 1], [3, 2], 'float64');
  const a = bceWithLogitsLoss(x, y, { posWeight: 1.7 }).item();
  const b = bceWithLogitsLoss(x, y, { posWeight: Tensor.full([2], 1.7, 'float64') }).item();
  const c = bceWithLogitsLoss(x, y, { posWeight: Tensor.full([3, 2], 1.7, 'float64') }).item();
  assert.equal(a, b);
  assert.equal(a, c);
  assert.equal(bceWithLogitsLoss(x, y, { posWeight: 1 }).item(), bceWithLogitsLoss(x, y).item());
});

test('loss errors name what was expected and what was given', () => {
  const a = Tensor.zeros([2, 3], 'float64');
  assert.throws(
    () => mseLoss(a, Tensor.zeros([3, 2], 'float64')),
    /mseLoss: expected target of shape \[2, 3\] \(the shape of pred\), got \[3, 2\]/,
  );
  assert.throws(
    () => mseLoss(a, [1, 2] as unknown as Tensor),
    /mseLoss: expected target to be a Tensor of shape \[2, 3\], got \[1, 2\]/,
  );
  assert.throws(
    () => mseLoss(a, a, { reduction: 'none' as 'mean' }),
    /mseLoss: reduction expected "mean" or "sum", got "none"/,
  );
  assert.throws(() => mseLoss(a, a, { tape: {} as Tape }), /mseLoss: tape expected a Tape/);
  assert.throws(
    () => mseLoss(a, a, { reduce: 'sum' } as object),
    /mseLoss: unknown option "reduce"; expected one of reduction, tape/,
  );

  const logits = Tensor.zeros([4, 5], 'float64');
  assert.throws(
    () => crossEntropyLoss(logits, [0, 1, 5, 2]),
    /crossEntropyLoss: target at row 2 is 5; expected a class index in \[0, 4\] \(C = 5 classes\)/,
  );
  assert.throws(
    () => crossEntropyLoss(logits, [0, -1, 2, 2]),
    /target at row 1 is -1; expected a class index in \[0, 4\]/,
  );
  assert.throws(
    () => crossEntropyLoss(logits, Int32Array.from([0, 1, 2, 9]), { ignoreIndex: -1 }),
    /target at row 3 is 9; expected a class index in \[0, 4\] \(C = 5 classes\) or ignoreIndex -1/,
  );
  assert.throws(
    () => crossEntropyLoss(logits, Tensor.from([0, 1.5, 2, 3], [4], 'float32')),
    /target at row 1 is 1\.5; expected a class index/,
  );
  assert.throws(
    () => crossEntropyLoss(logits, [0, 1, 2]),
    /crossEntropyLoss: expected 4 targets \(one class index per row of the logits\), got 3/,
  );
  assert.throws(
    () => crossEntropyLoss(logits, Tensor.zeros([4, 1])),
    /expected targets of shape \[N=4\] .*got \[4, 1\] — reshape it to \[4\]/,
  );
  assert.throws(
    () => crossEntropyLoss(Tensor.zeros([2, 3, 4]), [0, 1]),
    /crossEntropyLoss: with logits of shape \[2, 3, 4\] expected targets of shape \[2, 3\] \(one class index per position\), got 2 class indices/,
  );
  assert.throws(
    () => crossEntropyLoss(Tensor.zeros([4]), [0, 1]),
    /crossEntropyLoss: expected logits of shape \[N, C\] \(or \[T, B, C\]\), got \[4\]/,
  );
  assert.throws(
    () => crossEntropyLoss(logits, 'abcd' as unknown as number[]),
    /expected targets as an Int32Array, an array of numbers or a Tensor of 4 class indices, got "abcd"/,
  );
  assert.throws(
    () => crossEntropyLoss(logits, [0, 0, 0, 0], { ignoreIndex: 0.5 }),
    /ignoreIndex expected an integer, got 0\.5/,
  );
  assert.throws(
    () => crossEntropyLoss(logits, [0, 0, 0, 0], { ignore_index: 1 } as object),
    /unknown option "ignore_index"/,
  );

  const x = Tensor.zeros([2, 3], 'float64');
  assert.throws(
    () => bceWithLogitsLoss(x, Tensor.zeros([6], 'float64')),
    /bceWithLogitsLoss: expected targets of shape \[2, 3\] \(the shape of logits\), got \[6\]/,
  );
  assert.throws(
    () => bceWithLogitsLoss(x, Tensor.from([0, 0, 0, 0, 1.5, 0], [2, 3], 'float64')),
    /bceWithLogitsLoss: expected targets in \[0, 1\], got 1\.5 at index \[1, 1\]/,
  );
  assert.throws(
    () => bceWithLogitsLoss(x, Tensor.from([0, 0, NaN, 0, 1, 0], [2, 3], 'float64')),
    /expected targets in \[0, 1\], got NaN at index \[0, 2\]/,
  );
  assert.throws(
    () => bceWithLogitsLoss(x, x, { posWeight: Tensor.zeros([2]) }),
    /expected posWeight of shape \[3\] \(the last axis of the logits\) or \[2, 3\], got \[2\]/,
  );
  assert.throws(
    () => bceWithLogitsLoss(x, x, { posWeight: '2' as unknown as number }),
    /posWeight expected a number or a Tensor of shape \[3\], got "2"/,
  );
  assert.throws(
    () => bceWithLogitsLoss(x, x, { pos_weight: 2 } as object),
    /unknown option "pos_weight"; expected one of reduction, tape, posWeight/,
  );
});

test('cross-entropy takes sequence logits [T, B, C] with targets [T, B]: the same loss and gradients as flattened rows', () => {
  const logits3 = randn([4, 3, 5], 9).requireGrad();
  const targets = Tensor.from([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1], [4, 3], 'float64');
  const tape = new Tape();
  const l3 = crossEntropyLoss(logits3, targets, { tape });
  tape.backward(l3);
  const logits2 = Tensor.from(Array.from(logits3.data), [12, 5], 'float64').requireGrad();
  const t2 = new Tape();
  const l2 = crossEntropyLoss(logits2, Array.from(targets.data), { tape: t2 });
  t2.backward(l2);
  assert.equal(l3.item(), l2.item());
  assert.deepEqual(Array.from(logits3.grad!), Array.from(logits2.grad!));
  assert.throws(
    () => crossEntropyLoss(logits3, Tensor.zeros([3, 4])),
    /with logits of shape \[4, 3, 5\] expected targets of shape \[4, 3\] \(one class index per position\), got \[3, 4\]/,
  );
});
