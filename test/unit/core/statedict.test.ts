/**
 * State dicts: torch and keras layouts, both directions, and the errors a bad dict gets.
 * Recurrent models are faked here (dtype, spec, namedParameters() with the shapes
 * recurrent-spec.ts prescribes), so these tests depend on the naming contract only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DType } from '../../../core/dtype';
import { Embedding } from '../../../core/embedding';
import { GRU } from '../../../core/gru';
import { Linear } from '../../../core/linear';
import { LSTM } from '../../../core/lstm';
import { Rng } from '../../../core/random';
import type { RecurrentKind, RecurrentSpec } from '../../../core/recurrent-spec';
import { directionSuffixes } from '../../../core/recurrent-spec';
import { RNN } from '../../../core/rnn';
import { exportStateDict, importStateDict, StateDictJSON } from '../../../core/statedict';
import { Tensor } from '../../../core/tensor';
import { maxAbsDiff, randn } from '../../helpers/tensors';

const BLOCKS: Record<RecurrentKind, string[]> = { lstm: ['i', 'f', 'g', 'o'], gru: ['r', 'z', 'n'], rnn: ['h'] };

interface FakeOptions {
  inputSize?: number;
  hiddenSize?: number;
  numLayers?: number;
  bidirectional?: boolean;
  bias?: boolean;
  resetAfter?: boolean;
  peephole?: boolean;
  gate?: boolean;
  dtype?: DType;
  seed?: number;
}

interface Fake {
  dtype: DType;
  spec: RecurrentSpec;
  params: Map<string, Tensor>;
  namedParameters(): Array<[string, Tensor]>;
}

/** A recurrent "model" with random parameters of the shapes recurrent-spec.ts describes. */
function fake(kind: RecurrentKind, o: FakeOptions = {}): Fake {
  const spec: RecurrentSpec = {
    kind,
    inputSize: o.inputSize ?? 3,
    hiddenSize: o.hiddenSize ?? 2,
    numLayers: o.numLayers ?? 1,
    bidirectional: o.bidirectional ?? false,
    bias: o.bias ?? true,
    gateBlocks: BLOCKS[kind],
    ...(kind === 'gru' ? { resetAfter: o.resetAfter ?? true } : {}),
  };
  const dtype = o.dtype ?? 'float64';
  const rng = new Rng(o.seed ?? 1);
  const H = spec.hiddenSize;
  const GH = BLOCKS[kind].length * H;
  const D = spec.bidirectional ? 2 : 1;
  const list: Array<[string, Tensor]> = [];
  const add = (name: string, shape: number[]): void => {
    const t = Tensor.zeros(shape, dtype).requireGrad();
    for (let k = 0; k < t.size; k++) t.data[k] = rng.normal();
    list.push([name, t]);
  };
  for (let k = 0; k < spec.numLayers; k++) {
    for (const s of directionSuffixes(spec.bidirectional)) {
      add(`weight_ih_l${k}${s}`, [GH, k === 0 ? spec.inputSize : H * D]);
      add(`weight_hh_l${k}${s}`, [GH, H]);
      if (spec.bias) {
        add(`bias_ih_l${k}${s}`, [GH]);
        add(`bias_hh_l${k}${s}`, [GH]);
      }
      if (o.peephole) add(`weight_peephole_l${k}${s}`, [3 * H]);
      if (o.gate) add(`weight_gate_l${k}${s}`, [3 * H, 3 * H]);
    }
  }
  return { dtype, spec, params: new Map(list), namedParameters: () => list };
}

/** Every parameter's values, copied, by name. */
function snapshot(m: { namedParameters(): Array<[string, Tensor]> }): Record<string, number[]> {
  return Object.fromEntries(m.namedParameters().map(([n, p]) => [n, Array.from(p.data)]));
}

function p(m: Fake, name: string): number[] {
  return Array.from(m.params.get(name)!.data);
}

// ---------------------------------------------------------------- torch layout

test('torch export: exactly the parameter names, in order, as nested arrays of their shapes', () => {
  const m = fake('lstm', { numLayers: 2, bidirectional: true, hiddenSize: 3, inputSize: 2 });
  const d = exportStateDict(m);
  assert.deepEqual(
    Object.keys(d),
    m.namedParameters().map(([n]) => n),
  );
  assert.deepEqual(Object.keys(d), [
    'weight_ih_l0',
    'weight_hh_l0',
    'bias_ih_l0',
    'bias_hh_l0',
    'weight_ih_l0_reverse',
    'weight_hh_l0_reverse',
    'bias_ih_l0_reverse',
    'bias_hh_l0_reverse',
    'weight_ih_l1',
    'weight_hh_l1',
    'bias_ih_l1',
    'bias_hh_l1',
    'weight_ih_l1_reverse',
    'weight_hh_l1_reverse',
    'bias_ih_l1_reverse',
    'bias_hh_l1_reverse',
  ]);
  for (const [name, t] of m.namedParameters()) assert.deepEqual(d[name], t.toArray(), name);
  assert.equal((d.weight_ih_l1 as number[][]).length, 12);
  assert.equal((d.weight_ih_l1 as number[][])[0].length, 6, 'layer 1 reads both directions: 2H');
});

test('torch round trip is the identity, through JSON text too, in float32 and float64', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const kind of ['lstm', 'gru', 'rnn'] as const) {
      const a = fake(kind, { numLayers: 2, bidirectional: true, dtype, seed: 1 });
      const b = fake(kind, { numLayers: 2, bidirectional: true, dtype, seed: 2 });
      assert.notDeepEqual(snapshot(a), snapshot(b));
      importStateDict(b, JSON.parse(JSON.stringify(exportStateDict(a))));
      assert.deepEqual(snapshot(b), snapshot(a), `${kind} ${dtype}`);
    }
  }
  const a = new Linear(3, 2, { rng: new Rng(3) });
  const b = new Linear(3, 2, { rng: new Rng(4) });
  importStateDict(b, exportStateDict(a));
  assert.deepEqual(snapshot(b), snapshot(a));
});

test('torch import writes into the existing parameter tensors, grads untouched', () => {
  const a = fake('gru', { seed: 1 });
  const b = fake('gru', { seed: 2 });
  const before = b.namedParameters().map(([, t]) => t);
  b.params.get('weight_hh_l0')!.grad!.fill(7);
  importStateDict(b, exportStateDict(a));
  b.namedParameters().forEach(([, t], i) => assert.equal(t, before[i]));
  assert.ok(b.params.get('weight_hh_l0')!.grad!.every((g) => g === 7));
});

test('torch import accepts { shape, data } values (and Tensors), flat and row-major', () => {
  const m = new Linear(3, 2, { dtype: 'float64' });
  importStateDict(m, {
    weight: { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] },
    bias: { shape: [2], data: new Float32Array([7, 8]) },
  });
  assert.deepEqual(m.weight.toArray(), [
    [1, 2, 3],
    [4, 5, 6],
  ]);
  assert.deepEqual(m.bias!.toArray(), [7, 8]);
  importStateDict(m, {
    weight: Tensor.from([
      [6, 5, 4],
      [3, 2, 1],
    ]),
    bias: [0, -1],
  });
  assert.deepEqual(m.weight.toArray(), [
    [6, 5, 4],
    [3, 2, 1],
  ]);
  assert.deepEqual(m.bias!.toArray(), [0, -1]);
});

test('strict: false ignores unknown keys, but never missing ones', () => {
  const a = fake('rnn', { seed: 1 });
  const b = fake('rnn', { seed: 2 });
  importStateDict(b, { ...exportStateDict(a), 'fc.weight': [[1]], num_batches_tracked: 3 }, { strict: false });
  assert.deepEqual(snapshot(b), snapshot(a));
  const partial: StateDictJSON = exportStateDict(a);
  delete partial.bias_hh_l0;
  assert.throws(() => importStateDict(b, partial, { strict: false }), /missing key: bias_hh_l0 \[2\]/);
});

// ---------------------------------------------------------------- keras layout

test('keras export: names per layer and direction, shapes [I_k, G·H], [H, G·H], [G·H]', () => {
  const m = fake('lstm', { numLayers: 2, bidirectional: true, inputSize: 5, hiddenSize: 3 });
  const d = exportStateDict(m, { layout: 'keras' });
  assert.deepEqual(Object.keys(d), [
    'kernel_l0',
    'recurrent_kernel_l0',
    'bias_l0',
    'kernel_l0_reverse',
    'recurrent_kernel_l0_reverse',
    'bias_l0_reverse',
    'kernel_l1',
    'recurrent_kernel_l1',
    'bias_l1',
    'kernel_l1_reverse',
    'recurrent_kernel_l1_reverse',
    'bias_l1_reverse',
  ]);
  const shape = (v: unknown): number[] => (Array.isArray(v) ? [v.length, ...shape(v[0])] : []);
  assert.deepEqual(shape(d.kernel_l0), [5, 12]);
  assert.deepEqual(shape(d.kernel_l1_reverse), [6, 12]);
  assert.deepEqual(shape(d.recurrent_kernel_l1), [3, 12]);
  assert.deepEqual(shape(d.bias_l0_reverse), [12]);
});

test('keras LSTM: kernel = W_ihᵀ, recurrent_kernel = W_hhᵀ (same gate order), bias = b_ih + b_hh', () => {
  const m = fake('lstm', { inputSize: 3, hiddenSize: 2 });
  const d = exportStateDict(m, { layout: 'keras' });
  const wih = m.params.get('weight_ih_l0')!;
  const whh = m.params.get('weight_hh_l0')!;
  for (let row = 0; row < 8; row++) {
    for (let c = 0; c < 3; c++) assert.equal((d.kernel_l0 as number[][])[c][row], wih.get(row, c));
    for (let c = 0; c < 2; c++) assert.equal((d.recurrent_kernel_l0 as number[][])[c][row], whh.get(row, c));
    assert.equal((d.bias_l0 as number[])[row], p(m, 'bias_ih_l0')[row] + p(m, 'bias_hh_l0')[row]);
  }
});

test('keras LSTM and SimpleRNN round trip: weights identical, b_ih′ = b_ih + b_hh, b_hh′ = 0', () => {
  for (const kind of ['lstm', 'rnn'] as const) {
    const a = fake(kind, { numLayers: 2, bidirectional: true, seed: 5 });
    const b = fake(kind, { numLayers: 2, bidirectional: true, seed: 6 });
    importStateDict(b, JSON.parse(JSON.stringify(exportStateDict(a, { layout: 'keras' }))), { layout: 'keras' });
    for (const [name] of a.namedParameters()) {
      const sfx = name.replace(/^(weight|bias)_(ih|hh)/, '');
      if (name.startsWith('weight')) assert.deepEqual(p(b, name), p(a, name), name);
      else if (name.startsWith('bias_ih'))
        assert.deepEqual(
          p(b, name),
          p(a, name).map((x, i) => x + p(a, `bias_hh${sfx}`)[i]),
          name,
        );
      else
        assert.deepEqual(
          p(b, name),
          p(a, name).map(() => 0),
          name,
        );
    }
  }
});

test('keras float32: the exported bias sum is rounded to float32, and survives a round trip', () => {
  const a = fake('lstm', { dtype: 'float32', seed: 7 });
  const b = fake('lstm', { dtype: 'float32', seed: 8 });
  const d = exportStateDict(a, { layout: 'keras' });
  const sum = p(a, 'bias_ih_l0').map((x, i) => Math.fround(x + p(a, 'bias_hh_l0')[i]));
  assert.deepEqual(d.bias_l0, sum);
  importStateDict(b, d, { layout: 'keras' });
  assert.deepEqual(p(b, 'bias_ih_l0'), sum);
  assert.deepEqual(p(b, 'weight_hh_l0'), p(a, 'weight_hh_l0'));
});

/** A GRU with H = 2, I = 1 whose blocks hold recognisable values: r = 1x/10x, z = 2x, n = 3x. */
function markedGru(resetAfter: boolean): Fake {
  const m = fake('gru', { inputSize: 1, hiddenSize: 2, resetAfter });
  m.params.get('weight_ih_l0')!.data.set([11, 12, 21, 22, 31, 32]);
  m.params.get('weight_hh_l0')!.data.set([101, 102, 111, 112, 201, 202, 211, 212, 301, 302, 311, 312]);
  m.params.get('bias_ih_l0')!.data.set([1, 2, 3, 4, 5, 6]);
  m.params.get('bias_hh_l0')!.data.set([10, 20, 30, 40, 50, 60]);
  return m;
}

test('keras GRU reorders blocks r, z, n → z, r, h; reset_after bias is [2, 3H], exact both ways', () => {
  const m = markedGru(true);
  const d = exportStateDict(m, { layout: 'keras' });
  assert.deepEqual(d, {
    kernel_l0: [[21, 22, 11, 12, 31, 32]],
    recurrent_kernel_l0: [
      [201, 211, 101, 111, 301, 311],
      [202, 212, 102, 112, 302, 312],
    ],
    bias_l0: [
      [3, 4, 1, 2, 5, 6],
      [30, 40, 10, 20, 50, 60],
    ],
  });
  const b = fake('gru', { inputSize: 1, hiddenSize: 2, resetAfter: true, seed: 9 });
  importStateDict(b, d, { layout: 'keras' });
  assert.deepEqual(snapshot(b), snapshot(m));
});

test('keras GRU reset_after=False (Cho): bias [3H] = b_ih + b_hh for every block, b_hn included', () => {
  const m = markedGru(false);
  const d = exportStateDict(m, { layout: 'keras' });
  assert.deepEqual(d.bias_l0, [33, 44, 11, 22, 55, 66]);
  assert.deepEqual(d.kernel_l0, [[21, 22, 11, 12, 31, 32]]);
  const b = fake('gru', { inputSize: 1, hiddenSize: 2, resetAfter: false, seed: 9 });
  importStateDict(b, d, { layout: 'keras' });
  assert.deepEqual(p(b, 'bias_ih_l0'), [11, 22, 33, 44, 55, 66]);
  assert.deepEqual(p(b, 'bias_hh_l0'), [0, 0, 0, 0, 0, 0]);
  assert.deepEqual(p(b, 'weight_hh_l0'), p(m, 'weight_hh_l0'));
});

test('keras GRU: a bias of the other reset_after form is refused with advice', () => {
  const after = fake('gru', { hiddenSize: 2, resetAfter: true });
  const cho = fake('gru', { hiddenSize: 2, resetAfter: false });
  assert.throws(
    () => importStateDict(after, exportStateDict(cho, { layout: 'keras' }), { layout: 'keras' }),
    /bias_l0: expected shape \[2, 6\], got \[6\] \(.*reset_after=False.*resetAfter: false\)/,
  );
  assert.throws(
    () => importStateDict(cho, exportStateDict(after, { layout: 'keras' }), { layout: 'keras' }),
    /bias_l0: expected shape \[6\], got \[2, 6\] \(.*reset_after=True.*resetAfter: true\)/,
  );
});

test('keras without biases: only kernels, and a bias key is unknown', () => {
  const m = fake('gru', { bias: false, numLayers: 2 });
  const d = exportStateDict(m, { layout: 'keras' });
  assert.deepEqual(Object.keys(d), ['kernel_l0', 'recurrent_kernel_l0', 'kernel_l1', 'recurrent_kernel_l1']);
  assert.throws(() => importStateDict(m, { ...d, bias_l0: [0] }, { layout: 'keras' }), /unknown key: "bias_l0"/);
});

test('keras Dense (Linear): kernel [in, out] = weightᵀ, bias [out]; round trip is the identity', () => {
  const a = new Linear(3, 2, { dtype: 'float64', rng: new Rng(1) });
  a.weight.data.set([1, 2, 3, 4, 5, 6]);
  a.bias!.data.set([7, 8]);
  assert.deepEqual(exportStateDict(a, { layout: 'keras' }), {
    kernel: [
      [1, 4],
      [2, 5],
      [3, 6],
    ],
    bias: [7, 8],
  });
  const b = new Linear(3, 2, { dtype: 'float64', rng: new Rng(2) });
  importStateDict(b, exportStateDict(a, { layout: 'keras' }), { layout: 'keras' });
  assert.deepEqual(snapshot(b), snapshot(a));
  const nb = new Linear(2, 3, { bias: false, rng: new Rng(3) });
  assert.deepEqual(Object.keys(exportStateDict(nb, { layout: 'keras' })), ['kernel']);
});

test('keras Embedding: embeddings = weight', () => {
  const a = new Embedding(4, 3, { rng: new Rng(1) });
  const d = exportStateDict(a, { layout: 'keras' });
  assert.deepEqual(d, { embeddings: a.weight.toArray() });
  const b = new Embedding(4, 3, { rng: new Rng(2) });
  importStateDict(b, d, { layout: 'keras' });
  assert.deepEqual(snapshot(b), snapshot(a));
});

test('keras has no slot for peephole or gate-recurrence weights: export and import refuse, naming them', () => {
  const m = fake('lstm', { peephole: true, gate: true, bidirectional: true });
  assert.throws(
    () => exportStateDict(m, { layout: 'keras' }),
    /keras layout: .*no slot for weight_peephole_l0, weight_gate_l0, weight_peephole_l0_reverse, weight_gate_l0_reverse/,
  );
  const keras = exportStateDict(fake('lstm', { bidirectional: true }), { layout: 'keras' });
  const before = snapshot(m);
  assert.throws(
    () => importStateDict(m, keras, { layout: 'keras' }),
    /no slot for weight_peephole_l0.*use layout 'torch'/,
  );
  assert.deepEqual(snapshot(m), before);
  // The torch layout carries them.
  const b = fake('lstm', { peephole: true, gate: true, bidirectional: true, seed: 3 });
  importStateDict(b, exportStateDict(m));
  assert.deepEqual(snapshot(b), before);
});

test('keras refuses LSTM variants whose gating a Keras LSTM cannot compute', () => {
  const m = Object.assign(fake('lstm'), { variant: 'cifg' });
  assert.throws(() => exportStateDict(m, { layout: 'keras' }), /cannot compute the "cifg" LSTM variant/);
  const ok = Object.assign(fake('lstm'), { variant: 'standard' });
  assert.ok(exportStateDict(ok, { layout: 'keras' }).kernel_l0);
});

test('the real models compute the same outputs after a keras round trip (GRU Cho with nonzero b_hh included)', () => {
  const make = [
    (seed: number) =>
      new LSTM({
        inputSize: 3,
        hiddenSize: 4,
        numLayers: 2,
        bidirectional: true,
        dtype: 'float64',
        rng: new Rng(seed),
      }),
    (seed: number) =>
      new GRU({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, dtype: 'float64', rng: new Rng(seed) }),
    (seed: number) => new GRU({ inputSize: 3, hiddenSize: 4, resetAfter: false, dtype: 'float64', rng: new Rng(seed) }),
    (seed: number) =>
      new RNN({ inputSize: 3, hiddenSize: 4, nonlinearity: 'relu', dtype: 'float64', rng: new Rng(seed) }),
  ];
  const x = randn([5, 2, 3], 11);
  for (const build of make) {
    const a = build(1);
    const b = build(2);
    assert.ok(
      a.namedParameters().some(([n, t]) => n.startsWith('bias_hh') && t.data.some((v) => v !== 0)),
      'b_hh is nonzero',
    );
    const want = a.forward(x).output;
    assert.ok(maxAbsDiff(b.forward(x).output.data, want.data) > 1e-3, 'different models to start with');
    importStateDict(b, exportStateDict(a, { layout: 'keras' }), { layout: 'keras' });
    assert.ok(maxAbsDiff(b.forward(x).output.data, want.data) < 1e-12, `${a} after keras round trip`);
    importStateDict(b, exportStateDict(a));
    assert.deepEqual(Array.from(b.forward(x).output.data), Array.from(want.data), `${a} after torch round trip`);
  }
});

// ---------------------------------------------------------------- errors

test('not a state dict at all: a clear error', () => {
  const m = fake('lstm');
  assert.throws(
    () => importStateDict(m, null),
    /importStateDict: expected a state dict object like \{ "weight_ih_l0": \[\.\.\.\], … \}, got null/,
  );
  assert.throws(() => importStateDict(m, 42), /expected a state dict object .*got 42/);
  assert.throws(() => importStateDict(m, [[1, 2]]), /expected a state dict object .*got \[\[1, 2\]\]/);
  assert.throws(() => importStateDict(m, '{"weight_ih_l0": []}'), /got a string \(JSON text\? JSON\.parse it first\)/);
  assert.throws(() => importStateDict(m, new Map()), /got a Map \(pass Object\.fromEntries\(map\)\)/);
  assert.throws(() => importStateDict({} as never, {}), /expected a model or layer/);
  assert.throws(() => exportStateDict(null as never), /exportStateDict: expected a model or layer/);
});

test('bad options are errors', () => {
  const m = fake('rnn');
  assert.throws(() => exportStateDict(m, { layout: 'tf' as never }), /layout expected "torch" or "keras", got "tf"/);
  assert.throws(() => importStateDict(m, {}, { strict: 'yes' as never }), /strict expected true or false, got "yes"/);
  assert.throws(() => importStateDict(m, {}, { layuot: 'keras' } as never), /unknown option "layuot"/);
});

test('a wrong shape is named with both shapes', () => {
  const m = fake('lstm', { inputSize: 4, hiddenSize: 4 });
  const d = exportStateDict(m);
  d.weight_hh_l0 = (d.weight_hh_l0 as number[][]).slice(0, 12);
  assert.throws(
    () => importStateDict(m, d),
    (e: Error) => {
      assert.equal(e.name, 'LstmError');
      assert.match(e.message, /weight_hh_l0: expected shape \[16, 4\], got \[12, 4\]/);
      assert.match(e.message, /^importStateDict \(torch layout\): 1 problem, nothing was loaded/);
      return true;
    },
  );
});

test('one error reports every offender, and a failed import changes nothing', () => {
  const m = fake('lstm', { inputSize: 2, hiddenSize: 1, bidirectional: true });
  const before = snapshot(m);
  const d: Record<string, unknown> = {
    ...exportStateDict(fake('lstm', { inputSize: 2, hiddenSize: 1, bidirectional: true, seed: 4 })),
  };
  delete d.bias_hh_l0;
  delete d.weight_hh_l0_reverse;
  d.weight_ih_l0 = [[1, 2], [3], [5, 6], [7, 8]];
  d.weight_hh_l0 = [[1], ['2'], [3], [4]];
  d.bias_ih_l0 = [1, NaN, 3, 4];
  d.bias_ih_l0_reverse = [1, 2, Infinity, 4];
  d.bias_hh_l0_reverse = { shape: [4], data: [1, 2, 3] };
  d.weight_ih_l0_reverse = [
    [1, 2, 3, 4],
    [5, 6, 7, 8],
  ];
  d.extra = [1];
  assert.throws(
    () => importStateDict(m, d),
    (e: Error) => {
      const msg = e.message;
      assert.match(msg, /8 problems, nothing was loaded/);
      assert.match(msg, /missing keys: bias_hh_l0 \[4\], weight_hh_l0_reverse \[4, 1\]/);
      assert.match(msg, /weight_ih_l0: ragged nested array at index \[1\]: expected an array of length 2, got \[3\]/);
      assert.match(msg, /weight_hh_l0: expected a number, got "2" at index \[1, 0\]/);
      assert.match(msg, /bias_ih_l0: expected a finite number, got NaN at index \[1\]/);
      assert.match(msg, /bias_ih_l0_reverse: expected a finite number, got Infinity at index \[2\]/);
      assert.match(msg, /bias_hh_l0_reverse: "data" has 3 values, but "shape" \[4\] needs 4/);
      assert.match(msg, /weight_ih_l0_reverse: expected shape \[4, 2\], got \[2, 4\] \(transposed\?\)/);
      assert.match(msg, /unknown key: "extra" \(pass \{ strict: false \}/);
      return true;
    },
  );
  assert.deepEqual(snapshot(m), before);
});

test('ragged arrays at any depth, and values of the wrong kind, are reported', () => {
  const m = new Linear(2, 2, { dtype: 'float64' });
  assert.throws(
    () => importStateDict(m, { weight: [[1, 2], 3], bias: [1, 2] }),
    /weight: ragged nested array at index \[1\]: expected an array of length 2, got 3/,
  );
  assert.throws(
    () =>
      importStateDict(m, {
        weight: [
          [1, [2]],
          [3, 4],
        ],
        bias: [1, 2],
      }),
    /weight: ragged nested array at index \[0, 1\]: expected a number, got an array of length 1/,
  );
  assert.throws(
    () =>
      importStateDict(m, {
        weight: [
          [1, 2],
          [3, 4],
        ],
        bias: [null, 2],
      }),
    /bias: expected a number, got null at index \[0\]/,
  );
  assert.throws(
    () =>
      importStateDict(m, {
        weight: [
          [1, 2],
          [3, 4],
        ],
        bias: 'zeros',
      }),
    /bias: expected nested arrays of numbers or \{ "shape": \[\.\.\.\], "data": \[\.\.\.\] \}, got "zeros"/,
  );
  assert.throws(
    () =>
      importStateDict(m, {
        weight: {
          shape: [2, 2],
          data: [
            [1, 2],
            [3, 4],
          ],
        },
        bias: [1, 2],
      }),
    /weight: "data" expected a flat array/,
  );
  assert.throws(
    () => importStateDict(m, { weight: { shape: [2, -2], data: [] }, bias: [1, 2] }),
    /weight: "shape" expected an array of non-negative integers/,
  );
  assert.throws(
    () => importStateDict(new Linear(1, 1), { weight: [[1e39]], bias: [0] }),
    /weight: value 1e\+39 at flat index 0 does not fit in float32/,
  );
});

test('keys of the other layout get a hint', () => {
  const m = fake('lstm');
  assert.throws(
    () => importStateDict(m, exportStateDict(m), { layout: 'keras' }),
    /missing keys: kernel_l0 \[3, 8\].*hint: the keys look like a torch layout state dict; pass \{ layout: 'torch' \}/s,
  );
  assert.throws(
    () => importStateDict(m, exportStateDict(m, { layout: 'keras' })),
    /missing keys: weight_ih_l0 \[8, 3\].*unknown keys: "kernel_l0".*hint: the keys look like a keras layout state dict; pass \{ layout: 'keras' \}/s,
  );
  const lin = new Linear(2, 2);
  assert.throws(
    () => importStateDict(lin, exportStateDict(lin, { layout: 'keras' })),
    /hint: the keys look like a keras layout/,
  );
  assert.throws(
    () => importStateDict(lin, exportStateDict(lin), { layout: 'keras' }),
    /hint: the keys look like a torch layout/,
  );
});

test('keys behind a module prefix get a hint', () => {
  const m = fake('gru');
  const prefixed = Object.fromEntries(Object.entries(exportStateDict(m)).map(([k, v]) => [`rnn.${k}`, v]));
  assert.throws(() => importStateDict(m, prefixed), /hint: keys carry a prefix \("rnn\."\); strip it/);
});

test('peepholes load from one [3H] vector (i, f, o) or from per-gate keys of [H] each; some of the per-gate keys get a hint', () => {
  const source = new LSTM({ inputSize: 2, hiddenSize: 3, variant: 'peephole', rng: new Rng(1) });
  const dict = source.stateDict() as Record<string, number[] | number[][]>;
  const p = dict.weight_peephole_l0 as number[];
  const perGate: Record<string, unknown> = {
    ...dict,
    weight_peephole_i_l0: p.slice(0, 3),
    weight_peephole_f_l0: p.slice(3, 6),
    weight_peephole_o_l0: p.slice(6, 9),
  };
  delete perGate.weight_peephole_l0;
  const target = new LSTM({ inputSize: 2, hiddenSize: 3, variant: 'peephole', rng: new Rng(2) }).loadStateDict(perGate);
  assert.deepEqual(target.stateDict(), source.stateDict());
  const partial = { ...perGate };
  delete partial.weight_peephole_o_l0;
  assert.throws(
    () => new LSTM({ inputSize: 2, hiddenSize: 3, variant: 'peephole' }).loadStateDict(partial),
    /hint: peepholes load as weight_peephole_l0 \[9\] \(i, f, o in that order\), or as weight_peephole_i_l0, weight_peephole_f_l0, weight_peephole_o_l0 of \[3\] each — all three/,
  );
});

test('a three-block CIFG weight is told the four-block layout; .variant and toString tell CIFG with peepholes from without', () => {
  const cifg = new LSTM({ inputSize: 2, hiddenSize: 3, variant: 'CIFG' });
  const dict = cifg.stateDict() as Record<string, number[][] | number[]>;
  const threeBlock = { ...dict, weight_ih_l0: (dict.weight_ih_l0 as number[][]).filter((_, r) => r < 3 || r >= 6) };
  assert.throws(
    () => new LSTM({ inputSize: 2, hiddenSize: 3, variant: 'CIFG' }).loadStateDict(threeBlock),
    /weight_ih_l0: expected shape \[12, 2\], got \[9, 2\] \(a CIFG LSTM keeps the four gate blocks i, f, g, o of 12 rows as PyTorch does; its f block \(rows 3–5\) is unused, since f = 1 − i: insert 3 rows of zeros after the first 3\)/,
  );
  assert.equal(cifg.variant, 'cifg');
  const bare = new LSTM({ inputSize: 2, hiddenSize: 3, variant: 'CIFG', peephole: false });
  assert.equal(bare.variant, 'cifg without peepholes');
  assert.equal(bare.toString(), 'LSTM(2 → 3, cifg without peepholes)');
  assert.equal(cifg.toString(), 'LSTM(2 → 3, cifg)');
  assert.equal(new LSTM({ inputSize: 2, hiddenSize: 3, peephole: true }).variant, 'peephole');
});
