/**
 * model.intervene(): units held at fixed values inside the recurrence. Checked against a
 * reference built by hand (one step at a time, the state edited between steps), against
 * central differences for the gradients, and bit for bit against the model before and after.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradCheck } from '../../../core/gradcheck';
import { GRU } from '../../../core/gru';
import { LSTM } from '../../../core/lstm';
import { addScalars, weightedSum } from '../../../core/ops';
import { Rng } from '../../../core/random';
import type { RecurrentModel } from '../../../core/recurrent/model';
import { RNN } from '../../../core/rnn';
import { Tape } from '../../../core/tape';
import { Tensor } from '../../../core/tensor';
import { setEngine } from '../../../core/kernels/engine';
import { train } from '../../../core/train';
import { SequenceDataset } from '../../../core/data/dataset';
import { randn } from '../../helpers/tensors';

const T = 6;
const B = 3;
const I = 2;
const H = 4;
const kinds = [
  (dtype: 'float32' | 'float64', rng: Rng) => new LSTM({ inputSize: I, hiddenSize: H, dtype, rng }),
  (dtype: 'float32' | 'float64', rng: Rng) => new GRU({ inputSize: I, hiddenSize: H, dtype, rng }),
  (dtype: 'float32' | 'float64', rng: Rng) => new RNN({ inputSize: I, hiddenSize: H, dtype, rng }),
];

/** unit j of x[t, b, :] for every t and b. */
const column = (x: Tensor, j: number) =>
  Array.from({ length: x.size / x.shape[x.shape.length - 1] }, (_, r) => x.data[r * x.shape[x.shape.length - 1] + j]);

test("intervene({ on: 'h', mode: 'zero' }): those units of h_t are exactly 0, the next steps see it as a hand-edited state would", () => {
  for (const make of kinds) {
    const model = make('float64', new Rng(1));
    const x = randn([T, B, I], 2);
    model.intervene({ on: 'h', units: [1, 3] });
    const { output, state, trace } = model.forward(x, { trace: true });
    for (const j of [1, 3]) {
      assert.deepEqual(new Set(column(output, j)), new Set([0]), `${model}: output unit ${j}`);
      assert.deepEqual(new Set(column(trace!.layers[0].h, j)), new Set([0]), `${model}: traced h unit ${j}`);
    }

    // By hand, with no intervention: one step at a time, zeroing units 1 and 3 of h between steps.
    const plain = make('float64', new Rng(1));
    let s = plain.zeroState(B);
    const expected: number[] = [];
    for (let t = 0; t < T; t++) {
      const step = new Tensor(x.data.slice(t * B * I, (t + 1) * B * I), [1, B, I]);
      const r = plain.forward(step, { state: s });
      const h = r.state.h.clone();
      for (let b = 0; b < B; b++) for (const j of [1, 3]) h.data[b * H + j] = 0;
      expected.push(...h.data);
      s = r.state.c ? { h, c: r.state.c } : { h };
    }
    const got = [...output.data];
    got.forEach((v, n) =>
      assert.ok(Math.abs(v - expected[n]) < 1e-12, `${model}: output ${n}: ${v} vs ${expected[n]}`),
    );
    assert.ok(Math.abs(state.h.data[0] - expected[(T - 1) * B * H]) < 1e-12);
  }
});

test('remove() restores the outputs bit for bit (float32 on the default engine), and the engine with them', () => {
  for (const make of kinds) {
    const model = make('float32', new Rng(3));
    const x = randn([T, B, I], 4, 1, 'float32');
    const before = model.forward(x, { trace: true });
    const engine = model.engine;
    const fix = model.intervene({ on: 'h', units: [0], mode: 'clamp', value: 0.25 });
    assert.equal(model.engine, engine, `${model}: the engine does not change while intervened`);
    assert.equal(model.toString().endsWith('1 intervention)'), true, model.toString());
    const during = model.forward(x);
    assert.deepEqual(new Set(column(during.output, 0)), new Set([0.25]));
    assert.notDeepEqual([...during.output.data], [...before.output.data]);
    fix.remove();
    fix.remove(); // twice is harmless
    assert.equal(fix.active, false);
    assert.equal(model.engine, engine);
    assert.deepEqual(model.interventions, []);
    const after = model.forward(x, { trace: true });
    assert.deepEqual(after.output.data, before.output.data, `${model}: output`);
    assert.deepEqual(after.trace, before.trace, `${model}: trace`);
  }
});

test('every quantity of every cell can be fixed: the trace shows the fixed value at every step, other units move on', () => {
  const cases: Array<[RecurrentModel, string[]]> = [
    [
      new LSTM({ inputSize: I, hiddenSize: H, dtype: 'float64', rng: new Rng(5), variant: 'peephole' }),
      ['i', 'f', 'g', 'o', 'c', 'h'],
    ],
    [
      new GRU({ inputSize: I, hiddenSize: H, dtype: 'float64', rng: new Rng(6), resetAfter: false }),
      ['r', 'z', 'n', 'h'],
    ],
    [new RNN({ inputSize: I, hiddenSize: H, dtype: 'float64', rng: new Rng(7) }), ['h']],
  ];
  const x = randn([T, B, I], 8);
  for (const [model, quantities] of cases) {
    for (const on of quantities) {
      const plain = model.forward(x, { trace: true }).trace!.layers[0];
      const fix = model.intervene({ on, units: [2], mode: 'clamp', value: 0.375 });
      const layer = model.forward(x, { trace: true }).trace!.layers[0];
      const traced = on === 'c' ? layer.c! : on === 'h' ? layer.h : layer.gates[on].act;
      assert.deepEqual(new Set(column(traced, 2)), new Set([0.375]), `${model} ${on}`);
      if (on !== 'h')
        assert.notDeepEqual(column(layer.h, 0), column(plain.h, 0), `${model} ${on}: unit 0 of h feels it`);
      fix.remove();
    }
  }
});

test('gradients with interventions match central differences; a fixed gate passes no gradient to its rows', () => {
  const models: RecurrentModel[] = [
    new LSTM({ inputSize: I, hiddenSize: 3, dtype: 'float64', rng: new Rng(9), variant: 'peephole', forgetBias: null }),
    new LSTM({ inputSize: I, hiddenSize: 3, dtype: 'float64', rng: new Rng(9), variant: 'fgr', numLayers: 2 }),
    new GRU({ inputSize: I, hiddenSize: 3, dtype: 'float64', rng: new Rng(10) }),
    new GRU({ inputSize: I, hiddenSize: 3, dtype: 'float64', rng: new Rng(10), resetAfter: false }),
    new RNN({ inputSize: I, hiddenSize: 3, dtype: 'float64', rng: new Rng(11), nonlinearity: 'relu' }),
  ];
  const x = randn([5, 2, I], 12).requireGrad();
  for (const model of models) {
    const quantities =
      model.kind === 'lstm' ? ['i', 'f', 'g', 'o', 'c', 'h'] : model.kind === 'gru' ? ['r', 'z', 'n', 'h'] : ['h'];
    for (const on of quantities) {
      const fixes = [
        model.intervene({ on, units: [1], mode: 'clamp', value: 0.3 }),
        model.intervene({ on, units: [2], layer: model.numLayers - 1 }),
      ];
      const wo = randn([5, 2, 3], 13);
      const wh = randn([model.numLayers, 2, 3], 14);
      const loss = (tape?: Tape) => {
        const r = model.forward(x, { tape });
        return addScalars([weightedSum(r.output, wo, tape), weightedSum(r.state.h, wh, tape)], tape);
      };
      const report = gradCheck(loss, [...model.namedParameters(), ['input', x]], { eps: 1e-6, tolerance: 1e-6 });
      assert.ok(report.ok, `${model} with ${on} fixed: worst ${JSON.stringify(report.worst)}`);
      fixes.forEach((f) => f.remove());
    }
  }

  // A gate held at a value: its pre-activation's rows get exactly zero gradient.
  const lstm = new LSTM({ inputSize: I, hiddenSize: 3, dtype: 'float64', rng: new Rng(15) });
  lstm.intervene({ on: 'i', units: [1], mode: 'clamp', value: 1 });
  const tape = new Tape();
  const r = lstm.forward(x, { tape });
  tape.backward(weightedSum(r.output, randn([5, 2, 3], 16), tape));
  const g = lstm.gradients();
  const row = (t: Tensor, n: number, width: number) => [...t.data.slice(n * width, (n + 1) * width)];
  assert.deepEqual(new Set(row(g.weight_ih_l0, 1, I)), new Set([0]), 'W_ii row of unit 1');
  assert.deepEqual(new Set(row(g.weight_hh_l0, 1, 3)), new Set([0]), 'W_hi row of unit 1');
  assert.ok(
    row(g.weight_ih_l0, 0, I).some((v) => v !== 0),
    'unit 0 still learns',
  );
});

test("mode 'mean' holds each unit at its mean over a reference input (or the last input)", () => {
  const model = new LSTM({ inputSize: I, hiddenSize: H, dtype: 'float64', rng: new Rng(17) });
  const reference = randn([T, B, I], 18);
  const trace = model.forward(reference, { trace: true }).trace!;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const byHand = [0, 3].map((j) => mean(column(trace.layers[0].gates.f.act, j)));
  const fix = model.intervene({ on: 'f', units: [0, 3], mode: 'mean', over: reference });
  assert.deepEqual(fix.values, byHand);
  assert.match(String(fix), /^f units 0, 3 of layer 0 held at their mean \(0\.\d+, 0\.\d+\)$/);
  fix.remove();
  const lastInput = model.intervene({ on: 'f', units: [0, 3], mode: 'mean' });
  assert.deepEqual(lastInput.values, byHand, 'the last input was the reference');
  const fresh = new GRU({ inputSize: I, hiddenSize: H, rng: new Rng(1) });
  assert.throws(() => fresh.intervene({ on: 'h', units: [0], mode: 'mean' }), /mode 'mean' averages over an input/);
});

test('training respects an intervention: with h unit 2 held at 0, no weight row of unit 2 moves', async () => {
  const rng = new Rng(19);
  const model = new LSTM({ inputSize: 1, hiddenSize: H, rng });
  const data = new SequenceDataset({
    name: 'noise',
    inputs: randn([16, 8, 1], 20, 1, 'float32'),
    targets: randn([16, H], 21, 1, 'float32'),
    target: 'last',
  });
  // Unit 2's gates and candidate feed only c_2 and h_2 (no peepholes), and h_2 is a constant: no
  // gradient reaches the rows i, f, g, o of unit 2, so Adam leaves them exactly as they were.
  const rowsOfUnit2 = () =>
    [0, 1, 2, 3].flatMap((block) => [
      ...model.parametersOf(0).whh.data.slice((block * H + 2) * H, (block * H + 3) * H),
      model.parametersOf(0).wih.data[block * H + 2],
    ]);
  const before = rowsOfUnit2();
  const whhBefore = [...model.parametersOf(0).whh.data];
  model.intervene({ on: 'h', units: [2] });
  await train(model, data, { epochs: 3, batchSize: 4, rng });
  assert.deepEqual(rowsOfUnit2(), before);
  assert.notDeepEqual([...model.parametersOf(0).whh.data], whhBefore, 'the other units learned');
  assert.deepEqual(new Set(column(model.forward(randn([5, 2, 1], 22, 1, 'float32')).output, 2)), new Set([0]));
});

test('bad interventions are refused with what was expected and what was given', () => {
  const lstm = new LSTM({ inputSize: I, hiddenSize: H, numLayers: 2 });
  const gru = new GRU({ inputSize: I, hiddenSize: H });
  const cifg = new LSTM({ inputSize: I, hiddenSize: H, variant: 'cifg' });
  const cases: Array<[() => unknown, RegExp]> = [
    [() => lstm.intervene({ on: 'x', units: [0] }), /on expected one of "i", "f", "g", "o", "c", "h", got "x"/],
    [() => gru.intervene({ on: 'c', units: [0] }), /on expected one of "r", "z", "n", "h", got "c"/],
    [() => cifg.intervene({ on: 'f', units: [0] }), /on expected one of "i", "g", "o", "c", "h", got "f"/],
    [() => lstm.intervene({ on: 'h', units: [4] }), /units.*4/],
    [() => lstm.intervene({ on: 'h', units: [] }), /units expected a non-empty array of unit indices in \[0, 3\]/],
    [() => lstm.intervene({ on: 'h', units: [1, 1] }), /distinct indices, got 1 twice/],
    [() => lstm.intervene({ on: 'h', units: [1], layer: 2 }), /layer/],
    [
      () => lstm.intervene({ on: 'h', units: [1], direction: 'reverse' }),
      /direction expected 'forward' \(the model is not bidirectional\), got "reverse"/,
    ],
    [() => lstm.intervene({ on: 'h', units: [1], value: 2 }), /value is for mode 'clamp'/],
    [
      () => lstm.intervene({ on: 'h', units: [1, 2], mode: 'clamp', value: [1] }),
      /2 finite numbers \(one per unit\), got \[1\]/,
    ],
    [() => lstm.intervene({ on: 'h', units: [1], mode: 'clamp' }), /value to be a finite number/],
    [
      () => lstm.intervene({ on: 'h', units: [1], mode: 'ablate' as 'zero' }),
      /mode expected one of "zero", "clamp", "mean", got "ablate"/,
    ],
    [() => lstm.intervene({ on: 'h', units: [1], unit: 3 } as never), /unknown option.*unit/],
    [() => lstm.intervene(null as never), /expected options like/],
  ];
  for (const [call, message] of cases) assert.throws(call, message);
  assert.deepEqual(lstm.interventions, [], 'nothing was added');
});

test('a selection carries its units, layer, direction and quantity into intervene()', () => {
  const model = new LSTM({ inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true });
  const fix = model.intervene({ units: { units: [0, 2], layer: 1, direction: 'reverse', on: 'c' } } as never);
  assert.deepEqual([fix.layer, fix.direction, fix.on, [...fix.units]], [1, 'reverse', 'c', [0, 2]]);
  assert.equal(String(fix), 'c units 0, 2 of layer 1 (reverse) zeroed');
  model.removeInterventions();
  assert.equal(model.interventions.length, 0);
});

test('the WebAssembly kernels hold units as the JS loops do: forward and gradients agree, held values exact', () => {
  const x = randn([7, 9, 3], 23, 1, 'float32'); // 9 rows: both threads' halves, and H = 6 leaves a partial lane group
  const cells: Array<[string, (rng: Rng) => RecurrentModel, string[]]> = [
    ['LSTM', (rng) => new LSTM({ inputSize: 3, hiddenSize: 6, rng }), ['i', 'f', 'g', 'o', 'c', 'h']],
    [
      'peephole LSTM',
      (rng) => new LSTM({ inputSize: 3, hiddenSize: 6, variant: 'peephole', rng }),
      ['i', 'f', 'g', 'o', 'c', 'h'],
    ],
    ['GRU', (rng) => new GRU({ inputSize: 3, hiddenSize: 6, rng }), ['r', 'z', 'n', 'h']],
    ['Cho GRU', (rng) => new GRU({ inputSize: 3, hiddenSize: 6, resetAfter: false, rng }), ['r', 'z', 'n', 'h']],
    ['RNN', (rng) => new RNN({ inputSize: 3, hiddenSize: 6, rng }), ['h']],
    ['ReLU RNN', (rng) => new RNN({ inputSize: 3, hiddenSize: 6, nonlinearity: 'relu', rng }), ['h']],
  ];
  for (const [name, make, quantities] of cells)
    for (const on of quantities) {
      const run = (engine: 'wasm' | 'js') => {
        setEngine(engine);
        try {
          const model = make(new Rng(24));
          model.intervene({ on, units: [1, 5], mode: 'clamp', value: [0.25, -0.5] });
          assert.equal(model.engine, engine);
          const tape = new Tape();
          const xg = x.clone().requireGrad();
          const r = model.forward(xg, { tape, trace: true });
          tape.backward(weightedSum(r.output, randn([7, 9, 6], 25, 1, 'float32'), tape));
          return { r, grads: model.gradients(), dx: xg.grad! };
        } finally {
          setEngine('wasm');
        }
      };
      const wasm = run('wasm');
      const js = run('js');
      const layer = wasm.r.trace!.layers[0];
      const held = on === 'c' ? layer.c! : on === 'h' ? layer.h : layer.gates[on].act;
      assert.deepEqual(new Set(column(held, 1)), new Set([0.25]), `${name} ${on}: unit 1 held on wasm`);
      assert.deepEqual(
        new Set(column(held, 5)),
        new Set([-0.5]),
        `${name} ${on}: unit 5 held on wasm (the partial lane group)`,
      );
      const close = (a: ArrayLike<number>, b: ArrayLike<number>, what: string, tol: number) => {
        let worst = 0;
        for (let n = 0; n < a.length; n++) worst = Math.max(worst, Math.abs(a[n] - b[n]) / (1 + Math.abs(b[n])));
        assert.ok(worst < tol, `${name} ${on} ${what}: wasm and JS differ by ${worst}`);
      };
      close(wasm.r.output.data, js.r.output.data, 'output', 1e-5);
      for (const key of Object.keys(js.grads)) close(wasm.grads[key].data, js.grads[key].data, key, 1e-4);
      close(wasm.dx, js.dx, 'dx', 1e-4);
    }
});
