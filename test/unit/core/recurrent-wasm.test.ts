/**
 * The WebAssembly engine against its references:
 *  - every PyTorch fixture case (test/fixtures/make_torch_fixtures.py), run in float32 on the
 *    WebAssembly kernels, against PyTorch's float64 values at float32 tolerance;
 *  - the JS engine (the readable reference) on the same float32 models and inputs, over odd
 *    sizes and every feature the layers have: stacks, both directions, batch-first, initial
 *    states, one-hot (sparse) input, truncated BPTT, gradient norms, traces, dropout;
 *  - determinism, the variants that stay on JS, and the engine switch's errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { wasmMemoryUse } from '../../../core/kernels/wasm/runtime';
import { getEngine, setEngine, type Engine } from '../../../core/kernels/engine';
import { GRU } from '../../../core/gru';
import { Linear } from '../../../core/linear';
import { LSTM } from '../../../core/lstm';
import { crossEntropyLoss } from '../../../core/loss';
import { addScalars, weightedSum } from '../../../core/ops';
import { Rng } from '../../../core/random';
import type { ForwardOptions, RecurrentModel } from '../../../core/recurrent/model';
import { RNN } from '../../../core/rnn';
import { Tape } from '../../../core/tape';
import { Tensor } from '../../../core/tensor';
import { assertClose, EncodedTensor, loadFixture, toTensor, TOLERANCE } from '../../helpers/fixtures';
import { buildCase, checkCase, type RecurrentCase } from '../../helpers/recurrent-fixture';
import { maxRelDiff } from '../../helpers/tensors';

function withEngine<T>(engine: Engine, fn: () => T): T {
  const before = getEngine();
  setEngine(engine);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    setEngine(before);
    throw error;
  }
  if (result instanceof Promise) return result.finally(() => setEngine(before)) as T;
  setEngine(before);
  return result;
}

// ---- PyTorch fixtures through the WebAssembly kernels ----

const fixture = loadFixture('recurrent.json') as { cases: RecurrentCase[] };

for (const c of fixture.cases) {
  test(`wasm engine: ${c.module} ${c.name} in float32 matches PyTorch (output, state, every gradient)`, () =>
    withEngine('wasm', () => {
      const model = buildCase(c, 'float32');
      assert.equal(model.engine, 'wasm');
      checkCase(c, model, 'float32');
    }));
}

test('wasm engine: LSTM → Linear → cross-entropy in float32 matches PyTorch (logits, loss, every gradient)', () =>
  withEngine('wasm', () => {
    const f = loadFixture('lstm_linear_ce.json');
    const { rtol, atol } = TOLERANCE.float32;
    const sd = f.stateDict as Record<string, EncodedTensor>;
    const lstmDict = Object.fromEntries(Object.entries(sd).filter(([k]) => !k.startsWith('head.')));
    const [T, B, I] = f.input.shape as number[];
    const H = sd.weight_hh_l0.shape[1];
    const C = sd['head.weight'].shape[0];
    const model = new LSTM({ inputSize: I, hiddenSize: H, dtype: 'float32' }).loadStateDict(lstmDict);
    const head = new Linear(H, C, { dtype: 'float32' }).loadStateDict({
      weight: sd['head.weight'],
      bias: sd['head.bias'],
    });
    const x = toTensor(f.input, 'float32').requireGrad();
    const tape = new Tape();
    const logits = head.forward(model.forward(x, { tape }).output.reshape([T * B, H]), { tape });
    assertClose(logits.data, f.logits.data, rtol, atol, 'logits');
    const loss = crossEntropyLoss(logits, f.targets.data, { tape });
    assertClose(loss.data, [f.loss], rtol, atol, 'loss');
    tape.backward(loss);
    const grads: Record<string, Tensor> = {
      ...model.gradients(),
      'head.weight': head.weight.gradTensor()!,
      'head.bias': head.bias!.gradTensor()!,
    };
    for (const name of Object.keys(sd)) assertClose(grads[name].data, f.grads[name].data, rtol, atol, `∂L/∂${name}`);
    assertClose(x.grad!, f.grads.input.data, rtol, atol, '∂L/∂input');
  }));

// ---- the two engines on the same float32 work ----

interface Case {
  name: string;
  make: (rng: Rng) => RecurrentModel;
  T: number;
  B: number;
  oneHot?: boolean;
  /** With oneHot: every fifth row all zeros, as padding is (the sparse projection's bias-only rows). */
  padded?: boolean;
  states?: boolean;
  forward?: Omit<ForwardOptions, 'tape' | 'state'>;
}

const I = 5,
  H = 7;
const CASES: Case[] = [
  { name: 'LSTM', make: (rng) => new LSTM({ inputSize: I, hiddenSize: H, rng }), T: 9, B: 3 },
  {
    name: 'LSTM, peephole, initial states, gradient norms',
    make: (rng) => new LSTM({ inputSize: I, hiddenSize: H, variant: 'peephole', rng }),
    T: 8,
    B: 5,
    states: true,
    forward: { gradNorms: true },
  },
  {
    name: 'LSTM, 2 layers, bidirectional, initial states',
    make: (rng) => new LSTM({ inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true, rng }),
    T: 6,
    B: 4,
    states: true,
  },
  {
    name: 'LSTM, batch-first, hidden 1, batch 1',
    make: (rng) => new LSTM({ inputSize: I, hiddenSize: 1, batchFirst: true, rng }),
    T: 7,
    B: 1,
  },
  {
    name: 'LSTM, one-hot input with zero (padding) rows, truncated BPTT (k = 3)',
    make: (rng) => new LSTM({ inputSize: 11, hiddenSize: 9, rng }),
    T: 10,
    B: 6,
    oneHot: true,
    padded: true,
    forward: { truncate: 3, gradNorms: true },
  },
  {
    name: 'LSTM, 3 layers with dropout 0.3',
    make: (rng) => new LSTM({ inputSize: I, hiddenSize: H, numLayers: 3, dropout: 0.3, rng }),
    T: 5,
    B: 3,
  },
  {
    name: 'GRU (reset after)',
    make: (rng) => new GRU({ inputSize: I, hiddenSize: H, rng }),
    T: 9,
    B: 3,
    states: true,
    forward: { gradNorms: true },
  },
  {
    name: 'GRU (Cho, reset before), bidirectional',
    make: (rng) => new GRU({ inputSize: I, hiddenSize: H, resetAfter: false, bidirectional: true, rng }),
    T: 7,
    B: 5,
    states: true,
  },
  {
    name: 'GRU (Cho), truncated BPTT (k = 2)',
    make: (rng) => new GRU({ inputSize: I, hiddenSize: 6, resetAfter: false, rng }),
    T: 9,
    B: 2,
    forward: { truncate: 2 },
  },
  {
    name: 'RNN tanh, 2 layers, gradient norms',
    make: (rng) => new RNN({ inputSize: I, hiddenSize: H, numLayers: 2, rng }),
    T: 12,
    B: 3,
    states: true,
    forward: { gradNorms: true },
  },
  {
    name: 'RNN ReLU, one-hot input',
    make: (rng) => new RNN({ inputSize: 13, hiddenSize: 10, nonlinearity: 'relu', rng }),
    T: 8,
    B: 4,
    oneHot: true,
  },
  // Longer than STEPS_PER_POLL: the WebAssembly loop runs in pieces, the state carried between them.
  {
    name: 'LSTM, 300 steps in pieces, both directions, truncated BPTT (k = 7), gradient norms',
    make: (rng) => new LSTM({ inputSize: I, hiddenSize: 6, bidirectional: true, rng }),
    T: 300,
    B: 9,
    states: true,
    forward: { truncate: 7, gradNorms: true },
  },
  {
    name: 'GRU (Cho), 260 steps in pieces',
    make: (rng) => new GRU({ inputSize: I, hiddenSize: 5, resetAfter: false, rng }),
    T: 260,
    B: 3,
    forward: { gradNorms: true },
  },
  // Large enough for the gradient passes split by columns between threads
  // (core/recurrent/wasm-layer.ts): bias sums and the one-hot ∂W_ih over 4096 rows × 512 columns.
  {
    name: 'LSTM, one-hot input, 4096 rows × 512 gate columns',
    make: (rng) => new LSTM({ inputSize: 11, hiddenSize: 128, rng }),
    T: 32,
    B: 128,
    oneHot: true,
  },
  {
    name: 'RNN tanh, 290 steps in pieces',
    make: (rng) => new RNN({ inputSize: I, hiddenSize: 4, rng }),
    T: 290,
    B: 10,
    states: true,
  },
];

interface Outcome {
  engine: string;
  arrays: Record<string, ArrayLike<number>>;
}

/** Forward with a trace, a fixed weighted loss of every output, backward: everything observable. */
function observe(c: Case, engine: Engine): Outcome {
  return withEngine(engine, () => {
    const rng = new Rng(11);
    const model = c.make(rng);
    const D = model.directions;
    const L = model.numLayers;
    const x = Tensor.zeros(model.batchFirst ? [c.B, c.T, model.inputSize] : [c.T, c.B, model.inputSize]);
    for (let r = 0; r < c.T * c.B; r++) {
      if (c.oneHot) {
        if (!(c.padded && r % 5 === 4)) x.data[r * model.inputSize + rng.int(model.inputSize)] = 1;
      } else for (let k = 0; k < model.inputSize; k++) x.data[r * model.inputSize + k] = rng.normal(0, 1);
    }
    x.requireGrad();
    const state = c.states ? model.zeroState(c.B) : undefined;
    if (state)
      for (const t of [state.h, state.c])
        if (t) {
          for (let k = 0; k < t.size; k++) t.data[k] = rng.normal(0, 0.5);
          t.requireGrad();
        }
    const tape = new Tape();
    // The dropout masks come from the model's generator: fresh and equal for both engines.
    const r = model.forward(x, { ...c.forward, tape, state, trace: true });
    const terms = [
      weightedSum(r.output, Tensor.randn(r.output.shape, { rng }), tape),
      weightedSum(r.state.h, Tensor.randn(r.state.h.shape, { rng }), tape),
    ];
    if (r.state.c) terms.push(weightedSum(r.state.c, Tensor.randn(r.state.c.shape, { rng }), tape));
    tape.backward(addScalars(terms, tape));
    const arrays: Record<string, ArrayLike<number>> = { output: r.output.data, hN: r.state.h.data, dx: x.grad! };
    if (r.state.c) arrays.cN = r.state.c.data;
    if (state) {
      arrays.dh0 = state.h.grad!;
      if (state.c) arrays.dc0 = state.c.grad!;
    }
    for (const [name, g] of Object.entries(model.gradients())) arrays[`∂${name}`] = g.data;
    r.trace!.layers.forEach((lt, i) => {
      for (const [gate, gt] of Object.entries(lt.gates)) {
        arrays[`trace ${i} ${gate} pre`] = gt.pre.data;
        arrays[`trace ${i} ${gate} act`] = gt.act.data;
      }
      arrays[`trace ${i} h`] = lt.h.data;
      if (lt.c) arrays[`trace ${i} c`] = lt.c.data;
    });
    r.gradNorms?.layers.forEach((n, i) => {
      arrays[`‖∂h‖ ${i}`] = n.h;
      if (n.c) arrays[`‖∂c‖ ${i}`] = n.c;
    });
    assert.equal(L * D, r.state.h.shape[0]);
    return { engine: model.engine, arrays };
  });
}

for (const c of CASES) {
  test(`wasm and js engines agree to float32 rounding: ${c.name}`, () => {
    const js = observe(c, 'js');
    const wasm = observe(c, 'wasm');
    assert.equal(js.engine, 'js');
    assert.equal(wasm.engine, 'wasm');
    assert.deepEqual(Object.keys(wasm.arrays), Object.keys(js.arrays));
    for (const [name, ref] of Object.entries(js.arrays)) {
      // float32 rounding, relative to the entry and to the array's scale: sums over hundreds of
      // steps cancel, and an entry near zero carries the rounding of its large terms.
      let scale = 0;
      for (let i = 0; i < ref.length; i++) scale = Math.max(scale, Math.abs(ref[i]));
      const got = wasm.arrays[name];
      for (let i = 0; i < ref.length; i++) {
        const allowed = 2e-4 * Math.abs(ref[i]) + 2e-5 * scale + 1e-7;
        assert.ok(
          Math.abs(got[i] - ref[i]) <= allowed,
          `${name}: entry ${i} is ${got[i]} on wasm, ${ref[i]} on js (|diff| ${Math.abs(got[i] - ref[i]).toExponential(2)}, allowed ${allowed.toExponential(2)})`,
        );
      }
    }
  });
}

test('cross-entropy over 2048 × 128 logits, its rows split between threads, on wasm as on js (loss and gradient)', () => {
  const rng = new Rng(11);
  const [N, C] = [2048, 128];
  const values = Float32Array.from({ length: N * C }, () => 4 * rng.normal());
  const labels = Array.from({ length: N }, () => rng.int(C));
  const run = (engine: Engine) =>
    withEngine(engine, () => {
      const logits = Tensor.from(values, [N, C]).requireGrad();
      const tape = new Tape();
      const loss = crossEntropyLoss(logits, labels, { tape });
      tape.backward(loss);
      return { loss: loss.item(), grad: logits.gradTensor()!.data };
    });
  const [js, wasm] = [run('js'), run('wasm')];
  assert.ok(Math.abs(wasm.loss - js.loss) <= 1e-6 * Math.abs(js.loss), `loss ${wasm.loss} vs ${js.loss}`);
  const { err, index } = maxRelDiff(wasm.grad, js.grad);
  assert.ok(err < 1e-4, `gradient differs by ${err} at ${index}`);
});

test('the wasm engine is bit-identical run to run', () => {
  for (const c of CASES) assert.deepEqual(observe(c, 'wasm').arrays, observe(c, 'wasm').arrays, c.name);
});

/** Every value stored in `a` and `b`, compared as bits: NaN payloads and −0 included. */
function sameBits(a: Float32Array | Float64Array, b: Float32Array | Float64Array): boolean {
  const bytes = (v: Float32Array | Float64Array): Uint8Array => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return a.constructor === b.constructor && Buffer.compare(bytes(a), bytes(b)) === 0;
}

test('a wasm trace is copied out of the engine per gate: its own arrays, the same bits with or without a tape, and the untraced forward unchanged', () =>
  withEngine('wasm', () => {
    for (const c of CASES) {
      const model = c.make(new Rng(11));
      const rng = new Rng(12);
      const x = Tensor.randn(model.batchFirst ? [c.B, c.T, model.inputSize] : [c.T, c.B, model.inputSize], { rng });
      const other = Tensor.randn(x.shape, { rng });
      const plain = model.forward(x);
      const traced = model.forward(x, { trace: true });
      const tape = new Tape();
      const taped = model.forward(x, { trace: true, tape, training: false });
      for (const [what, r] of Object.entries({ traced, taped })) {
        assert.ok(sameBits(r.output.data, plain.output.data), `${c.name}: ${what} output`);
        assert.ok(sameBits(r.state.h.data, plain.state.h.data), `${c.name}: ${what} h_T`);
        if (r.state.c) assert.ok(sameBits(r.state.c.data, plain.state.c!.data), `${c.name}: ${what} c_T`);
      }
      const tensors = (r: typeof traced): Array<[string, Tensor]> =>
        r.trace!.layers.flatMap((lt, i) => [
          ...Object.entries(lt.gates).flatMap(([g, gt]): Array<[string, Tensor]> => [
            [`${i} ${g} pre`, gt.pre],
            [`${i} ${g} act`, gt.act],
          ]),
          [`${i} h`, lt.h] as [string, Tensor],
          ...(lt.c ? [[`${i} c`, lt.c] as [string, Tensor]] : []),
        ]);
      const mine = tensors(traced);
      const copies = mine.map(([, t]) => t.data.slice());
      const theirs = new Map(tensors(taped));
      model.forward(other, { trace: true }); // reuses the engine's memory the traces were copied from
      mine.forEach(([name, t], n) => {
        assert.deepEqual(t.shape, [c.T, c.B, model.hiddenSize], `${c.name}: ${name} shape`);
        // A plain array of its own: not a view into the engine's shared memory, nor into another trace array.
        assert.ok(t.data.buffer instanceof ArrayBuffer && t.data.byteOffset === 0, `${c.name}: ${name} storage`);
        assert.equal(t.data.byteLength, t.data.buffer.byteLength, `${c.name}: ${name} storage`);
        assert.ok(sameBits(t.data, copies[n]), `${c.name}: ${name} changed after another forward`);
        assert.ok(sameBits(t.data, theirs.get(name)!.data), `${c.name}: ${name} differs with a tape`);
      });
      tape.backward(weightedSum(taped.output, taped.output.clone(), tape)); // gives back what the run kept
    }
  }));

test('LSTM variants without WebAssembly kernels stay on the JS engine, with the JS results', () => {
  for (const variant of ['cifg', 'nig', 'nfg', 'nog', 'niaf', 'noaf', 'fgr'] as const) {
    const c: Case = {
      name: variant,
      make: (rng) => new LSTM({ inputSize: I, hiddenSize: H, variant, rng }),
      T: 5,
      B: 2,
    };
    const wasm = observe(c, 'wasm');
    assert.equal(wasm.engine, 'js', variant);
    assert.deepEqual(wasm.arrays, observe(c, 'js').arrays, variant);
  }
  withEngine('wasm', () => assert.equal(new LSTM({ inputSize: 2, hiddenSize: 3, dtype: 'float64' }).engine, 'js'));
});

test('Linear on the wasm engine: output and gradients as on js', () => {
  const run = (engine: Engine): Float32Array[] =>
    withEngine(engine, () => {
      const rng = new Rng(5);
      const lin = new Linear(13, 6, { rng });
      const x = Tensor.randn([4, 5, 13], { rng }).requireGrad();
      const tape = new Tape();
      const y = lin.forward(x, { tape });
      tape.backward(weightedSum(y, Tensor.randn(y.shape, { rng }), tape));
      return [y.data, x.grad!, lin.weight.grad!, lin.bias!.grad!] as Float32Array[];
    });
  const [a, b] = [run('js'), run('wasm')];
  a.forEach((ref, i) => assert.ok(maxRelDiff(b[i], ref).err < 1e-5, `array ${i}`));
});

test('the engine gives back what runs keep for their backward: after each step, and when a tape is dropped', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  await withEngine('wasm', async () => {
    const model = new LSTM({ inputSize: 5, hiddenSize: 7, numLayers: 2, bidirectional: true, rng: new Rng(1) });
    const x = Tensor.randn([9, 8, 5], { rng: new Rng(2) });
    for (let i = 0; i < 20; i++) {
      const tape = new Tape();
      const r = model.forward(x, { tape });
      tape.backward(weightedSum(r.output, r.output.clone(), tape));
    }
    assert.equal(wasmMemoryUse().pinnedBytes, 0, 'after backward');
    const bytes = wasmMemoryUse().bytes;
    (() => {
      for (let i = 0; i < 30; i++) model.forward(x, { tape: new Tape() });
    })();
    assert.ok(wasmMemoryUse().pinnedBytes > 0, 'tapes not yet collected');
    // Finalizers run some time after a collection: give them a few turns of the event loop.
    const collected = async (): Promise<void> => {
      for (let i = 0; i < 50 && wasmMemoryUse().pinnedBytes > 0; i++) {
        gc();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    await collected();
    assert.equal(wasmMemoryUse().pinnedBytes, 0, 'after the tapes were collected');
    for (let i = 0; i < 20; i++) model.forward(x, { tape: new Tape() });
    await collected();
    assert.equal(wasmMemoryUse().pinnedBytes, 0, 'after the second batch of tapes was collected');
    assert.ok(wasmMemoryUse().bytes <= bytes * 2 + 2 ** 22, `memory ${wasmMemoryUse().bytes} after ${bytes}`);
  });
});

test('setEngine takes "wasm" or "js" and names what it got otherwise', () => {
  assert.throws(() => setEngine('gpu' as Engine), /setEngine: expected "wasm" or "js", got "gpu"/);
  assert.throws(() => setEngine(undefined as unknown as Engine), /got undefined/);
});
