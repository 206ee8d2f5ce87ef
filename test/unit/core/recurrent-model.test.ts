/**
 * Behaviour of the recurrent models beyond their gradients: traces, states, stateful use,
 * dropout, initialisation, determinism and the errors bad input gets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GRU } from '../../../core/gru';
import { LSTM } from '../../../core/lstm';
import { Rng, seed } from '../../../core/random';
import { RNN } from '../../../core/rnn';
import { Tape } from '../../../core/tape';
import { Tensor } from '../../../core/tensor';
import { weightedSum } from '../../../core/ops';
import * as tasks from '../../../core/data/tasks';
import { randn } from '../../helpers/tensors';

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

test('an LSTM trace satisfies the cell equations step by step, peepholes included', () => {
  const T = 6,
    B = 2,
    I = 3,
    H = 4;
  const model = new LSTM({ inputSize: I, hiddenSize: H, variant: 'peephole', dtype: 'float64', rng: new Rng(1) });
  const x = randn([T, B, I], 2);
  const { output, trace } = model.forward(x, { trace: true });
  assert.ok(trace);
  assert.deepEqual(Object.keys(trace.layers[0].gates), ['i', 'f', 'g', 'o']);
  const L = trace.layers[0];
  const p = model.parametersOf(0);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const cPrev = t > 0 ? L.c!.get(t - 1, b, j) : 0;
        const c = L.c!.get(t, b, j);
        // Recompute a gate's pre-activation from the weights: W_x x_t + b_ih + b_hh + W_h h_{t−1} + peephole.
        const preFromWeights = (block: number, peep: number): number => {
          const row = block * H + j;
          let z = p.bih!.data[row] + p.bhh!.data[row] + peep;
          for (let k = 0; k < I; k++) z += p.wih.data[row * I + k] * x.get(t, b, k);
          if (t > 0) for (let k = 0; k < H; k++) z += p.whh.data[row * H + k] * L.h.get(t - 1, b, k);
          return z;
        };
        const peep = p.peephole!.data;
        assert.ok(Math.abs(L.gates.i.pre.get(t, b, j) - preFromWeights(0, peep[j] * cPrev)) < 1e-12, 'i sees c_{t−1}');
        assert.ok(
          Math.abs(L.gates.f.pre.get(t, b, j) - preFromWeights(1, peep[H + j] * cPrev)) < 1e-12,
          'f sees c_{t−1}',
        );
        assert.ok(Math.abs(L.gates.g.pre.get(t, b, j) - preFromWeights(2, 0)) < 1e-12, 'candidate has no peephole');
        assert.ok(Math.abs(L.gates.o.pre.get(t, b, j) - preFromWeights(3, peep[2 * H + j] * c)) < 1e-12, 'o sees c_t');
        const [i, f, g, o] = (['i', 'f', 'g', 'o'] as const).map((k) => L.gates[k].act.get(t, b, j));
        assert.ok(Math.abs(i - sigmoid(L.gates.i.pre.get(t, b, j))) < 1e-15);
        assert.ok(Math.abs(f - sigmoid(L.gates.f.pre.get(t, b, j))) < 1e-15);
        assert.ok(Math.abs(o - sigmoid(L.gates.o.pre.get(t, b, j))) < 1e-15);
        assert.ok(Math.abs(g - Math.tanh(L.gates.g.pre.get(t, b, j))) < 1e-15);
        assert.ok(Math.abs(c - (f * cPrev + i * g)) < 1e-14, 'c_t = f c_{t−1} + i g');
        assert.ok(Math.abs(L.h.get(t, b, j) - o * Math.tanh(c)) < 1e-14, 'h_t = o tanh(c_t)');
        assert.equal(L.h.get(t, b, j), output.get(t, b, j));
      }
    }
  }
});

test('traces cover every layer and direction and leave out removed gates', () => {
  const model = new LSTM({
    inputSize: 2,
    hiddenSize: 3,
    numLayers: 2,
    bidirectional: true,
    variant: 'CIFG',
    rng: new Rng(2),
  });
  const { trace } = model.forward(randn([4, 1, 2], 3, 1, 'float32'), { trace: true });
  assert.equal(trace!.layers.length, 4);
  assert.deepEqual(
    trace!.layers.map((l) => `${l.layer}${l.direction[0]}`),
    ['0f', '0r', '1f', '1r'],
  );
  assert.deepEqual(Object.keys(trace!.layers[0].gates), ['i', 'g', 'o']);
  const gru = new GRU({ inputSize: 2, hiddenSize: 3, rng: new Rng(2) }).forward(randn([4, 1, 2], 3, 1, 'float32'), {
    trace: true,
  }).trace!;
  assert.deepEqual(Object.keys(gru.layers[0].gates), ['r', 'z', 'n']);
  assert.equal(gru.layers[0].c, null);
  // Without trace, nothing is kept.
  assert.equal(model.forward(randn([4, 1, 2], 3, 1, 'float32')).trace, undefined);
});

test('the reverse direction reads the sequence backwards', () => {
  const T = 5,
    I = 2,
    H = 3;
  const bi = new LSTM({ inputSize: I, hiddenSize: H, bidirectional: true, dtype: 'float64', rng: new Rng(4) });
  const fwdOnly = new LSTM({ inputSize: I, hiddenSize: H, dtype: 'float64', rng: new Rng(5) });
  // Copy the reverse direction's weights into a one-way model and feed it the reversed input.
  const rev = bi.parametersOf(0, 1);
  const one = fwdOnly.parametersOf(0, 0);
  for (const k of ['wih', 'whh', 'bih', 'bhh'] as const) one[k]!.data.set(rev[k]!.data);
  const x = randn([T, 1, I], 6);
  const xr = Tensor.zeros([T, 1, I], 'float64');
  for (let t = 0; t < T; t++) for (let k = 0; k < I; k++) xr.set([t, 0, k], x.get(T - 1 - t, 0, k));
  const a = bi.forward(x).output;
  const b = fwdOnly.forward(xr).output;
  for (let t = 0; t < T; t++)
    for (let j = 0; j < H; j++) assert.ok(Math.abs(a.get(t, 0, H + j) - b.get(T - 1 - t, 0, j)) < 1e-14);
});

test('final states chain: two halves with the state carried equal one whole run, also when stateful', () => {
  const model = new LSTM({ inputSize: 2, hiddenSize: 3, numLayers: 2, dtype: 'float64', rng: new Rng(7) });
  const x = randn([8, 2, 2], 8);
  const whole = model.forward(x);
  const first = model.forward(new Tensor(x.data.slice(0, 4 * 2 * 2), [4, 2, 2]));
  const second = model.forward(new Tensor(x.data.slice(4 * 2 * 2), [4, 2, 2]), { state: first.state });
  assert.deepEqual(Array.from(second.state.h.data), Array.from(whole.state.h.data));
  assert.deepEqual(Array.from(second.state.c!.data), Array.from(whole.state.c!.data));
  model.stateful = true;
  model.forward(new Tensor(x.data.slice(0, 4 * 2 * 2), [4, 2, 2]));
  const carried = model.forward(new Tensor(x.data.slice(4 * 2 * 2), [4, 2, 2]));
  assert.deepEqual(Array.from(carried.state.h.data), Array.from(whole.state.h.data));
  model.resetState();
  assert.deepEqual(Array.from(model.forward(x).output.data), Array.from(whole.output.data));
  assert.throws(() => {
    model.forward(x);
    model.forward(randn([8, 3, 2], 1));
  }, /carries a state for batch 2, got a batch of 3; call resetState\(\)/);
});

test('same seed, bit-identical weights and outputs; another seed differs', () => {
  const build = (s: number): LSTM => {
    seed(s);
    return new LSTM({ inputSize: 3, hiddenSize: 5, numLayers: 2, dropout: 0.3 });
  };
  const a = build(7),
    b = build(7),
    c = build(8);
  for (let k = 0; k < a.namedParameters().length; k++) {
    assert.deepEqual(Array.from(a.namedParameters()[k][1].data), Array.from(b.namedParameters()[k][1].data));
  }
  assert.notDeepEqual(Array.from(a.namedParameters()[0][1].data), Array.from(c.namedParameters()[0][1].data));
  const x = randn([4, 2, 3], 1, 1, 'float32');
  seed(3);
  const ya = a.forward(x, { training: true }).output;
  seed(3);
  const yb = b.forward(x, { training: true }).output;
  assert.deepEqual(Array.from(ya.data), Array.from(yb.data));
});

test('dropout acts between layers only while training, with inverted scaling', () => {
  const model = new LSTM({
    inputSize: 2,
    hiddenSize: 50,
    numLayers: 2,
    dropout: 0.5,
    rng: new Rng(9),
    dtype: 'float64',
  });
  const x = randn([3, 4, 2], 10);
  const evalA = model.forward(x).output;
  const evalB = model.forward(x, { training: false }).output;
  assert.deepEqual(Array.from(evalA.data), Array.from(evalB.data));
  const trainA = model.forward(x, { training: true }).output;
  assert.notDeepEqual(Array.from(trainA.data), Array.from(evalA.data));
  // A tape turns training on by default.
  const tape = new Tape();
  const taped = model.forward(x, { tape }).output;
  assert.notDeepEqual(Array.from(taped.data), Array.from(evalA.data));
  // The single-layer model has no dropout at all (PyTorch semantics: only between layers).
  const single = new LSTM({ inputSize: 2, hiddenSize: 5, dropout: 0.5, rng: new Rng(9) });
  const xs = randn([3, 4, 2], 10, 1, 'float32');
  assert.deepEqual(
    Array.from(single.forward(xs, { training: true }).output.data),
    Array.from(single.forward(xs).output.data),
  );
});

test('initialisers: PyTorch bounds, orthogonal recurrent blocks, forget bias', () => {
  const H = 16;
  const torchLike = new LSTM({ inputSize: 5, hiddenSize: H, forgetBias: null, rng: new Rng(1), dtype: 'float64' });
  for (const [, p] of torchLike.namedParameters()) for (const v of p.data) assert.ok(Math.abs(v) <= 1 / Math.sqrt(H));
  const orth = new LSTM({ inputSize: 5, hiddenSize: H, init: 'orthogonal', rng: new Rng(1), dtype: 'float64' });
  const whh = orth.parametersOf(0).whh.data;
  for (let g = 0; g < 4; g++) {
    for (let r = 0; r < H; r++)
      for (let s = 0; s < H; s++) {
        let dot = 0;
        for (let k = 0; k < H; k++) dot += whh[g * H * H + r * H + k] * whh[g * H * H + s * H + k];
        assert.ok(Math.abs(dot - (r === s ? 1 : 0)) < 1e-12, `block ${g} rows ${r},${s}: ${dot}`);
      }
  }
  const limit = Math.sqrt(6 / (H + 5));
  for (const v of orth.parametersOf(0).wih.data) assert.ok(Math.abs(v) <= limit);
  const bih = orth.parametersOf(0).bih!.data;
  assert.deepEqual(Array.from(bih.subarray(H, 2 * H)), new Array(H).fill(1));
  assert.deepEqual(Array.from(bih.subarray(0, H)), new Array(H).fill(0));
  const fb = new LSTM({ inputSize: 5, hiddenSize: H, forgetBias: 2.5, rng: new Rng(1) });
  assert.deepEqual(Array.from(fb.parametersOf(0).bih!.data.subarray(H, 2 * H)), new Array(H).fill(2.5));
  assert.deepEqual(Array.from(fb.parametersOf(0).bhh!.data.subarray(H, 2 * H)), new Array(H).fill(0));
});

test('variants that remove a gate hold it constant and leave its weights untouched by training', () => {
  const model = new LSTM({ inputSize: 2, hiddenSize: 3, variant: 'NIG', rng: new Rng(3), dtype: 'float64' });
  const x = randn([4, 2, 2], 4);
  const tape = new Tape();
  const { output } = model.forward(x, { tape });
  tape.backward(weightedSum(output, randn([4, 2, 3], 5), tape));
  const p = model.parametersOf(0);
  assert.ok(p.wih.grad!.subarray(0, 3 * 2).every((g) => g === 0));
  assert.ok(p.wih.grad!.subarray(3 * 2).some((g) => g !== 0));
});

test('gradient norms per step: filled by backward, and the RNN’s fade with time lag', () => {
  const T = 30;
  const rnn = new RNN({ inputSize: 1, hiddenSize: 8, rng: new Rng(1), dtype: 'float64' });
  const lstm = new LSTM({ inputSize: 1, hiddenSize: 8, rng: new Rng(1), dtype: 'float64' });
  const x = randn([T, 1, 1], 2);
  for (const model of [rnn, lstm]) {
    const tape = new Tape();
    const r = model.forward(x, { tape, gradNorms: true });
    assert.equal(r.gradNorms!.filled, false);
    // Loss on the last output only: ‖∂L/∂h_t‖ at t < T−1 is pure backpropagation through time.
    const w = Tensor.zeros([T, 1, 8], 'float64');
    for (let j = 0; j < 8; j++) w.set([T - 1, 0, j], 1);
    tape.backward(weightedSum(r.output, w, tape));
    const n = r.gradNorms!;
    assert.equal(n.filled, true);
    assert.equal(n.layers[0].h.length, T);
    assert.ok(Math.abs(n.layers[0].h[T - 1] - Math.sqrt(8)) < 1e-12, 'last step sees the loss directly');
    if (model === lstm) assert.equal(n.layers[0].c!.length, T);
    else assert.equal(n.layers[0].c, null);
  }
});

test('bad input gets an error that names what was expected and what was given', () => {
  const model = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2 });
  assert.throws(() => model.forward(Tensor.zeros([5, 2, 4])), /expected input of shape \[T, B, I=3\], got \[5, 2, 4\]/);
  assert.throws(() => model.forward([1, 2, 3]), /expected input of shape \[T, B, I=3\], got \[3\]/);
  const nan = Tensor.zeros([2, 1, 3]);
  nan.data[4] = NaN;
  assert.throws(() => model.forward(nan), /input: expected finite numbers, got NaN at index \[1, 0, 1\]/);
  // ±∞ at every index of 6 values (4 in the check's vector loop, 2 in its tail): each is found.
  for (const bad of [Infinity, -Infinity])
    for (let k = 0; k < 6; k++) {
      const x = Tensor.zeros([2, 1, 3]);
      x.data[k] = bad;
      assert.throws(() => model.forward(x), new RegExp(`input: expected finite numbers, got ${bad} at index`));
    }
  assert.throws(
    () => model.forward(Tensor.zeros([2, 1, 3], 'float64')),
    /the model is float32 but the input is float64/,
  );
  assert.throws(
    () => model.forward(Tensor.zeros([2, 1, 3]), { state: { h: Tensor.zeros([1, 1, 4]), c: Tensor.zeros([2, 1, 4]) } }),
    /state\.h expected shape \[2, 1, 4\] \[layers·directions, batch, hidden\], got \[1, 1, 4\]/,
  );
  assert.throws(
    () => model.forward(Tensor.zeros([2, 1, 3]), { state: { h: Tensor.zeros([2, 1, 4]) } }),
    /needs both h and c, got only h/,
  );
  assert.throws(
    () => model.forward(Tensor.zeros([2, 1, 3]), { tracee: true } as never),
    /unknown option "tracee"; expected one of state, tape, trace/,
  );
  assert.throws(() => model.forward(Tensor.zeros([2, 1, 3]), { gradNorms: true }), /gradNorms needs a tape/);
  assert.throws(() => new LSTM({ inputSize: 0, hiddenSize: 4 }), /LSTM: inputSize: expected an integer ≥ 1, got 0/);
  assert.throws(
    () => new LSTM({ inputSize: 2, hiddenSize: 4, variant: 'peepole' as never }),
    /variant expected one of "standard", "peephole".*got "peepole"/,
  );
  assert.throws(() => new LSTM({ inputSize: 2, hiddenSize: 4, hidenSize: 3 } as never), /unknown option "hidenSize"/);
  assert.throws(
    () => new LSTM({ inputSize: 2, hiddenSize: 4, dropout: 1.5 }),
    /dropout: expected a number in \[0, 0\.999\], got 1\.5/,
  );
  assert.throws(
    () => new GRU({ inputSize: 2, hiddenSize: 4, init: 'he' as never }),
    /init: expected "pytorch", "glorot" or "orthogonal", got "he"/,
  );
  assert.throws(
    () => new RNN({ inputSize: 2, hiddenSize: 4, nonlinearity: 'sigmoid' as never }),
    /nonlinearity expected "tanh" or "relu", got "sigmoid"/,
  );
  assert.throws(
    () =>
      new GRU({ inputSize: 2, hiddenSize: 4 }).forward(Tensor.zeros([2, 1, 2]), {
        state: { h: Tensor.zeros([1, 1, 4]), c: Tensor.zeros([1, 1, 4]) },
      }),
    /a GRU has no cell state/,
  );
});

test('∂L/∂x is the same whether x.requireGrad() comes before or after forward (on both engines)', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    const grads = [true, false].map((before) => {
      const model = new LSTM({ inputSize: 3, hiddenSize: 4, rng: new Rng(5), dtype });
      const x = randn([5, 2, 3], 6, 1, dtype);
      if (before) x.requireGrad();
      const tape = new Tape();
      const { output } = model.forward(x, { tape });
      if (!before) x.requireGrad();
      tape.backward(weightedSum(output, randn(output.shape as number[], 7, 1, dtype), tape));
      return Array.from(x.grad!);
    });
    assert.ok(grads[0].some((g) => g !== 0));
    assert.deepEqual(grads[1], grads[0], dtype);
  }
});

test('forward takes nested arrays (in the model dtype) and says so when given something else', () => {
  const model = new LSTM({ inputSize: 2, hiddenSize: 3, rng: new Rng(1) });
  const nested = [[[0.5, -1]], [[1, 0]]];
  const a = model.forward(nested).output;
  const b = model.forward(Tensor.from(nested, undefined, 'float32')).output;
  assert.equal(a.dtype, 'float32');
  assert.deepEqual(Array.from(a.data), Array.from(b.data));
  assert.throws(
    () => model.forward('abc' as never),
    /expected an input Tensor \(or nested arrays\) of shape \[T, B, I=2\], got "abc"/,
  );
  assert.throws(() => model.forward([[[1, 2]], [[1]]]), /ragged nested array/);
});

test('sizes too large to allocate say what they were for, how many values and bytes — not "Invalid typed array length"', () => {
  assert.throws(
    () => new LSTM({ inputSize: 2, hiddenSize: 1e6 }),
    /LSTM\(\{ inputSize: 2, hiddenSize: 1000000, numLayers: 1 \}\): its weights cannot be allocated: a tensor of shape \[4000000, 1000000\] needs 4,000,000,000,000 float32 values \(14\.6 TiB\)/,
  );
  assert.throws(
    () => Tensor.zeros([1e7, 1e7]),
    /a tensor of shape \[10000000, 10000000\] needs 100,000,000,000,000 float32 values \(363\.8 TiB\)/,
  );
  assert.throws(
    () => tasks.adding({ length: 50, count: 1e12 }),
    /tasks\.adding: count 1000000000000 × length 50 × 2 inputs needs 100,000,000,000,000 float32 values/,
  );
  for (const make of [
    () => new GRU({ inputSize: 1e9, hiddenSize: 1e5 }),
    () => tasks.temporalOrder({ length: 100, count: 1e10 }),
  ]) {
    assert.throws(make, (e: Error) => e.name === 'LstmError' && !/Invalid typed array length/.test(e.message));
  }
});

test('traceLastInput: the last input run again with the current weights, in eval mode, changing nothing', () => {
  for (const Model of [LSTM, GRU, RNN]) {
    // Same Rng seed: the same weights and the same dropout masks in every copy.
    const build = () =>
      new Model({
        inputSize: 2,
        hiddenSize: 3,
        numLayers: 2,
        dropout: 0.5,
        stateful: true,
        dtype: 'float64',
        rng: new Rng(4),
      });
    const first = randn([4, 2, 2], 1);
    const x = randn([5, 2, 2], 2);
    const next = randn([3, 2, 2], 3);
    const model = build();
    assert.equal(model.traceLastInput(), null, `${Model.name}: before any forward`);
    model.forward(first);
    model.forward(x, { tape: new Tape() }); // a training step: dropout on, masks drawn from the Rng

    // By hand: x from the state `first` left, in eval mode (no dropout).
    const carried = build().forward(first).state;
    const expected = build().forward(x, { state: carried, trace: true }).trace;
    assert.deepEqual(model.traceLastInput(), expected, `${Model.name}: x's trace from the state it started in`);

    // Nothing moved: the carried state and the Rng go on as in a twin that never replayed.
    const twin = build();
    twin.forward(first);
    twin.forward(x, { tape: new Tape() });
    assert.deepEqual(
      model.forward(next, { tape: new Tape() }).output.data,
      twin.forward(next, { tape: new Tape() }).output.data,
      `${Model.name}: the next training step`,
    );
  }
});

test('traceLastInput keeps a copy of the input: writing into the tensor afterwards changes no replay', () => {
  const model = new LSTM({ inputSize: 2, hiddenSize: 3, dtype: 'float64', rng: new Rng(5) });
  const x = randn([4, 1, 2], 6);
  const expected = model.forward(x.clone(), { trace: true }).trace;
  model.forward(x);
  x.data.fill(0);
  assert.deepEqual(model.traceLastInput(), expected);
});

test('traceOf: a probe traced from zeros (or a given state) in eval mode, changing no carried state, replay or Rng', () => {
  for (const Model of [LSTM, GRU, RNN]) {
    const build = () =>
      new Model({
        inputSize: 2,
        hiddenSize: 3,
        numLayers: 2,
        dropout: 0.5,
        stateful: true,
        dtype: 'float64',
        rng: new Rng(7),
      });
    const first = randn([4, 2, 2], 1);
    const probe = randn([6, 3, 2], 2);
    const next = randn([3, 2, 2], 3);
    const model = build();
    model.forward(first, { tape: new Tape() });
    const replay = model.traceLastInput();

    // By hand: a fresh, non-stateful forward of the probe from zeros, no dropout.
    const expected = build().forward(probe, { state: build().zeroState(3), trace: true }).trace;
    assert.deepEqual(model.traceOf(probe), expected, `${Model.name}: from zeros despite the carried batch-2 state`);
    const state = build().forward(randn([2, 3, 2], 4)).state;
    const fromState = build().forward(probe, { state, trace: true }).trace;
    assert.deepEqual(model.traceOf(probe, { state }), fromState, `${Model.name}: from a given state`);

    assert.deepEqual(model.traceLastInput(), replay, `${Model.name}: the replay still shows the last training input`);
    const twin = build();
    twin.forward(first, { tape: new Tape() });
    assert.deepEqual(
      model.forward(next, { tape: new Tape() }).output.data,
      twin.forward(next, { tape: new Tape() }).output.data,
      `${Model.name}: the next training step, as in a twin that never traced a probe`,
    );
  }
});
