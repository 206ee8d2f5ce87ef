/**
 * Optimizers against torch.optim 1.13 (five explicit gradients per case, parameters after every
 * step; float64 to 1e-9, float32 to 1e-4), plus state handling and the errors bad options get.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Adagrad } from '../../../core/optim/adagrad';
import { Adam, AdamW } from '../../../core/optim/adam';
import type { Optimizer } from '../../../core/optim/optimizer';
import { RMSprop } from '../../../core/optim/rmsprop';
import { SGD } from '../../../core/optim/sgd';
import { Tensor } from '../../../core/tensor';
import { EncodedTensor, TOLERANCE, assertClose, loadFixture, toTensor } from '../../helpers/fixtures';
import { randn } from '../../helpers/tensors';

interface OptimCase {
  name: string;
  optimizer: 'SGD' | 'Adam' | 'AdamW' | 'RMSprop' | 'Adagrad';
  options: Record<string, unknown>;
  lrs: number[] | null;
  params: EncodedTensor[];
  grads: Array<Array<EncodedTensor | null>>;
  expected: EncodedTensor[][];
}

const fixture = loadFixture('optim.json') as { optimizers: OptimCase[] };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const MAKERS: Record<OptimCase['optimizer'], (o: any) => Optimizer> = {
  SGD: (o) => new SGD(o),
  Adam: (o) => new Adam(o),
  AdamW: (o) => new AdamW(o),
  RMSprop: (o) => new RMSprop(o),
  Adagrad: (o) => new Adagrad(o),
};

test('optimizer fixtures cover every optimizer', () => {
  const kinds = new Set(fixture.optimizers.map((c) => c.optimizer));
  assert.deepEqual([...kinds].sort(), ['Adagrad', 'Adam', 'AdamW', 'RMSprop', 'SGD']);
});

for (const c of fixture.optimizers) {
  for (const dtype of ['float64', 'float32'] as const) {
    test(`${c.name} (${dtype}) matches torch.optim.${c.optimizer} step by step`, () => {
      const { rtol, atol } = TOLERANCE[dtype];
      const opt = MAKERS[c.optimizer](c.options);
      const params = c.params.map((e) => toTensor(e, dtype));
      const steps = params.map(() => 0);
      c.grads.forEach((grads, t) => {
        if (c.lrs) opt.lr = c.lrs[t];
        params.forEach((p, i) => {
          const g = grads[i];
          p.grad = g === null ? null : toTensor(g, dtype).data;
          if (g !== null) steps[i]++;
        });
        opt.step(params);
        params.forEach((p, i) => {
          assert.equal(p.dtype, dtype, 'the parameter keeps its own array type');
          assertClose(p.data, c.expected[t][i].data, rtol, atol, `${c.name} param ${i} after step ${t + 1}`);
        });
      });
      assert.equal(opt.stepCount, c.grads.length);
      params.forEach((p, i) =>
        assert.equal(opt.stateOf(p)!.step, steps[i], 'per-parameter step counts skip missing gradients'),
      );
    });
  }
}

test("a number is the learning rate; defaults are torch's", () => {
  assert.equal(new Adam().lr, 1e-3);
  assert.equal(new Adam(0.01).lr, 0.01);
  assert.deepEqual(new Adam().betas, [0.9, 0.999]);
  assert.equal(new Adam().eps, 1e-8);
  assert.equal(new Adam().weightDecay, 0);
  assert.equal(new AdamW().weightDecay, 1e-2);
  assert.equal(new RMSprop().lr, 1e-2);
  assert.equal(new RMSprop().alpha, 0.99);
  assert.equal(new Adagrad().lr, 1e-2);
  assert.equal(new Adagrad().eps, 1e-10);
  assert.equal(new SGD(0.5).lr, 0.5);
  assert.equal(new SGD({ lr: 0.5, momentum: 0.9 }).momentum, 0.9);
  assert.equal(
    String(new SGD({ lr: 0.1, momentum: 0.9, nesterov: true })),
    'SGD(lr=0.1, momentum=0.9, dampening=0, nesterov, weightDecay=0)',
  );
  assert.equal(String(new AdamW(0.01)), 'AdamW(lr=0.01, betas=[0.9, 0.999], eps=1e-8, weightDecay=0.01)');
});

test('maximize ascends: the same as descending on the negated gradient', () => {
  for (const make of [
    (m: boolean) => new Adam({ lr: 0.1, maximize: m, weightDecay: 0.1 }),
    (m: boolean) => new RMSprop({ maximize: m, momentum: 0.5, centered: true }),
    (m: boolean) => new Adagrad({ maximize: m }),
    (m: boolean) => new AdamW({ maximize: m, amsgrad: true }),
  ]) {
    const up = randn([4], 1);
    const down = up.clone();
    const a = make(true);
    const b = make(false);
    for (let t = 0; t < 3; t++) {
      const g = randn([4], 10 + t);
      up.grad = Float64Array.from(g.data);
      down.grad = Float64Array.from(g.data, (v) => -v);
      a.step([up]);
      b.step([down]);
    }
    assertClose(up.data, down.data, 1e-15, 0, String(a));
  }
});

test('state is allocated once per parameter and kept across steps', () => {
  const p = randn([3], 1);
  const q = randn([2], 2);
  const opt = new Adam({ lr: 0.1, amsgrad: true });
  p.grad = new Float64Array([1, 2, 3]);
  q.grad = new Float64Array([1, 1]);
  opt.step([p, q]);
  const s = opt.stateOf(p)!;
  const buffers = [s.expAvg, s.expAvgSq, s.maxExpAvgSq];
  opt.step([p, q]);
  opt.step([q, p]);
  const s2 = opt.stateOf(p)!;
  assert.equal(s2, s);
  assert.deepEqual([s2.expAvg, s2.expAvgSq, s2.maxExpAvgSq], buffers);
  assert.equal(s2.step, 3);
  assert.equal(opt.stepCount, 3);
  assert.ok(s.expAvg instanceof Float64Array, 'float64 state');
  assert.equal(new SGD(0.1).step.length, 1);
  opt.reset();
  assert.equal(opt.stateOf(p), undefined);
  assert.equal(opt.stepCount, 0);
});

test('float32 parameters keep float64 state and are rounded once per step', () => {
  const p = Tensor.from([1, 2, 3], [3], 'float32');
  p.grad = new Float32Array([0.1, 0.2, 0.3]);
  const opt = new SGD({ lr: 0.1, momentum: 0.9 });
  opt.step([p]);
  assert.ok(p.data instanceof Float32Array);
  assert.ok((opt.stateOf(p) as unknown as { buf: Float64Array }).buf instanceof Float64Array);
  assert.deepEqual(
    Array.from(p.data),
    [1 - 0.1 * Math.fround(0.1), 2 - 0.1 * Math.fround(0.2), 3 - 0.1 * Math.fround(0.3)].map(Math.fround),
  );
});

test('parameters without a gradient buffer are skipped; zeroGrad zeroes', () => {
  const p = Tensor.from([1, 2], [2], 'float64');
  const q = Tensor.from([1, 2], [2], 'float64').requireGrad();
  q.grad!.set([1, 1]);
  const opt = new SGD(0.5);
  opt.step([p, q]);
  assert.deepEqual(Array.from(p.data), [1, 2]);
  assert.deepEqual(Array.from(q.data), [0.5, 1.5]);
  assert.equal(opt.stateOf(p), undefined);
  opt.zeroGrad([p, q]);
  assert.deepEqual(Array.from(q.grad!), [0, 0]);
});

test('the lr may be changed between steps; a bad lr is caught at step time', () => {
  const p = Tensor.from([1], [1], 'float64').requireGrad();
  p.grad![0] = 1;
  const opt = new SGD(0.1);
  opt.lr = 0.25;
  opt.step([p]);
  assert.equal(p.data[0], 0.75);
  opt.lr = NaN;
  assert.throws(() => opt.step([p]), /SGD: lr expected a finite number ≥ 0, got NaN/);
  opt.lr = -0.1;
  assert.throws(() => opt.step([p]), /SGD: lr expected a finite number ≥ 0, got -0\.1/);
  assert.equal(p.data[0], 0.75);
  assert.equal(opt.stepCount, 1);
});

test('step rejects bad parameter lists before touching any parameter', () => {
  const p = Tensor.from([1, 2], [2], 'float64').requireGrad();
  p.grad!.fill(1);
  const opt = new Adam(0.1);
  assert.throws(
    () => opt.step([p, p]),
    /Adam\.step: the parameter at index 1 \(shape \[2\]\) appears more than once; expected each parameter once/,
  );
  assert.deepEqual(Array.from(p.data), [1, 2]);
  assert.throws(
    () => opt.step([p, 3 as unknown as Tensor]),
    /Adam\.step: expected an array of parameter Tensors, got 3 at index 1/,
  );
  assert.throws(
    () => opt.step(p as unknown as Tensor[]),
    /Adam\.step: expected an array of parameter Tensors \(e\.g\. parametersOf\(model\)\), got a Tensor/,
  );
  const bad = Tensor.from([1, 2, 3], [3], 'float64');
  bad.grad = new Float64Array(2);
  assert.throws(
    () => opt.step([p, bad]),
    /Adam\.step: the gradient of the parameter at index 1 \(shape \[3\]\) has 2 values, expected 3/,
  );
  assert.deepEqual(Array.from(p.data), [1, 2]);
  assert.equal(opt.stepCount, 0);
  opt.step([p]); // a failed validation does not leave p marked as seen
  assert.equal(opt.stateOf(p)!.step, 1);
});

test('constructor errors name the option, what was expected and what was given', () => {
  assert.throws(() => new SGD(undefined as unknown as number), /SGD: expected a learning rate, e\.g\. new SGD\(0\.1\)/);
  assert.throws(() => new SGD({ momentum: 0.9 }), /SGD: expected a learning rate/);
  assert.throws(
    () => new SGD({ lr: 0.1, nesterov: true }),
    /SGD: nesterov expected momentum > 0 and dampening 0, got momentum 0 and dampening 0/,
  );
  assert.throws(
    () => new SGD({ lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }),
    /got momentum 0\.9 and dampening 0\.1/,
  );
  assert.throws(() => new SGD({ lr: 0.1, momentum: -0.5 }), /SGD: momentum: expected a finite number ≥ 0, got -0\.5/);
  assert.throws(
    () => new SGD({ lr: 0.1, nesterov: 'yes' as unknown as boolean }),
    /SGD: nesterov: expected true or false, got "yes"/,
  );
  assert.throws(() => new Adam(-1), /Adam: lr expected a finite number ≥ 0, got -1/);
  assert.throws(() => new Adam({ lr: Infinity }), /Adam: lr expected a finite number ≥ 0, got Infinity/);
  assert.throws(
    () => new Adam({ betas: [0.9, 1] }),
    /Adam: betas expected two numbers in \[0, 1\), such as \[0\.9, 0\.999\], got \[0\.9, 1\]/,
  );
  assert.throws(() => new AdamW({ betas: [0.9] as unknown as [number, number] }), /AdamW: betas expected two numbers/);
  assert.throws(() => new Adam({ eps: -1e-8 }), /Adam: eps: expected a finite number ≥ 0, got -1e-8/);
  assert.throws(() => new AdamW({ weightDecay: -0.1 }), /AdamW: weightDecay: expected a finite number ≥ 0, got -0\.1/);
  assert.throws(
    () => new Adam({ lr: 0.1, weight_decay: 0.1 } as object),
    /Adam: unknown option "weight_decay"; expected one of lr, betas, eps, weightDecay, amsgrad, maximize/,
  );
  assert.throws(
    () => new Adam('0.1' as unknown as number),
    /Adam: expected a learning rate or an options object, got "0\.1"/,
  );
  assert.throws(() => new RMSprop({ alpha: -0.1 }), /RMSprop: alpha: expected a finite number ≥ 0, got -0\.1/);
  assert.throws(() => new RMSprop({ beta: 0.9 } as object), /RMSprop: unknown option "beta"/);
  assert.throws(() => new Adagrad({ lrDecay: -1 }), /Adagrad: lrDecay: expected a finite number ≥ 0, got -1/);
  assert.throws(
    () => new Adagrad({ initialAccumulatorValue: -1 }),
    /Adagrad: initialAccumulatorValue: expected a finite number ≥ 0, got -1/,
  );
  assert.throws(() => new Adagrad({ lr_decay: 0.1 } as object), /Adagrad: unknown option "lr_decay"/);
});

test('centered RMSprop stays finite when rounding makes v − ḡ² negative (alpha 0)', () => {
  const p = Tensor.from([0.3, -0.7], [2], 'float64');
  const opt = new RMSprop({ alpha: 0, centered: true, lr: 0.01 });
  for (let t = 0; t < 5; t++) {
    p.grad = new Float64Array([0.1 * (t + 1) + 1e-9, -0.3]);
    opt.step([p]);
    assert.ok(Array.from(p.data).every(Number.isFinite), `step ${t + 1}: ${Array.from(p.data)}`);
  }
});
