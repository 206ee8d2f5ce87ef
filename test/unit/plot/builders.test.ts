/**
 * Chart payloads from the core's objects: values taken straight from the trace tensors, PCA
 * against a path whose principal directions are known, saturation fractions counted by hand,
 * loss series from a real training history, and the errors for bad options.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seed } from '../../../core/random';
import { LSTM } from '../../../core/lstm';
import { GRU } from '../../../core/gru';
import { Linear } from '../../../core/linear';
import { Tensor } from '../../../core/tensor';
import type { Trace } from '../../../core/recurrent/trace';
import { train } from '../../../core/train';
import { adding } from '../../../core/data/tasks';
import { gatesPayload, gradientsPayload, lossPayload, saturationPayload, statesPayload } from '../../../plot/builders';
import { pca2 } from '../../../plot/pca';
import { MIME } from '../../../protocol/chart-payloads';
import { validatePayload } from '../../../protocol/validate-chart-payloads';

function lstmTrace(H = 5, T = 7, B = 3): Trace {
  seed(11);
  return new LSTM({ inputSize: 2, hiddenSize: H, dtype: 'float64' }).forward(
    Tensor.randn([T, B, 2], { dtype: 'float64' }),
    { trace: true },
  ).trace!;
}

test('gates: one panel per gate plus c and h, values[t·H + u] = act[t, sample, u], fixed ranges', () => {
  const trace = lstmTrace();
  const p = gatesPayload(trace, { sample: 2, tokens: 'abcdefg' });
  assert.deepEqual(
    p.panels.map((x) => [x.name, x.range]),
    [
      ['i', [0, 1]],
      ['f', [0, 1]],
      ['g', [-1, 1]],
      ['o', [0, 1]],
      ['c', [-1, 1]],
      ['h', [-1, 1]],
    ],
  );
  const layer = trace.layers[0];
  for (const [t, u] of [
    [0, 0],
    [3, 4],
    [6, 2],
  ]) {
    assert.ok(Math.abs((p.panels[0].values as number[])[t * 5 + u] - layer.gates.i.act.get(t, 2, u)) < 1e-5);
    assert.ok(Math.abs((p.panels[4].values as number[])[t * 5 + u] - layer.c!.get(t, 2, u)) < 1e-5);
    assert.ok(Math.abs((p.panels[5].values as number[])[t * 5 + u] - layer.h.get(t, 2, u)) < 1e-5);
  }
  assert.deepEqual(p.tokens, ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  assert.equal(validatePayload(MIME.gates, JSON.parse(JSON.stringify(p))), null);
});

test('gates: GRU panels are r, z, n and h; bad options name what was expected', () => {
  seed(2);
  const trace = new GRU({ inputSize: 2, hiddenSize: 3 }).forward(Tensor.randn([4, 1, 2]), { trace: true }).trace!;
  assert.deepEqual(
    gatesPayload(trace).panels.map((x) => x.name),
    ['r', 'z', 'n', 'h'],
  );
  assert.throws(() => gatesPayload(trace, { sample: 1 }), /sample must be an integer in \[0, 0\].*got 1/);
  assert.throws(() => gatesPayload(trace, { layer: 1 }), /no layer 1 in direction "forward"; it has 0\/forward/);
  assert.throws(
    () => gatesPayload(trace, { gates: ['i'] }),
    /no gate "i" in this gru trace; expected one of r, z, n, h/,
  );
  assert.throws(() => gatesPayload(trace, { tokens: 'ab' }), /tokens must label each of the 4 steps, got 2/);
  assert.throws(() => gatesPayload({ not: 'a trace' }), /expected a trace/);
  assert.throws(() => gatesPayload(trace, { colour: 'red' } as never), /unknown option "colour"/);
});

test('states: chosen units of c and h over time, and a PCA that finds a known direction', () => {
  const trace = lstmTrace(6, 9, 1);
  const p = statesPayload(trace, { units: [1, 4] });
  assert.equal(p.h.length, 2);
  assert.ok(Math.abs(p.h[1][5] - trace.layers[0].h.get(5, 0, 4)) < 1e-5);
  assert.ok(Math.abs(p.c![0][8] - trace.layers[0].c!.get(8, 0, 1)) < 1e-5);
  assert.throws(() => statesPayload(trace, { units: [6] }), /units must be integers in \[0, 5\], got 6/);

  // A path along d = (1, 2, 2)/3 with a small bend along e = (2, −2, 1)/3 (orthogonal to d).
  // The bend is even in t − 24.5 and the drift odd, so the two are uncorrelated and d, e are
  // exactly the principal directions: the projections are the path's own coordinates.
  const T = 50;
  const x = new Float64Array(T * 3);
  const along = Array.from({ length: T }, (_, t) => t - 24.5);
  const across = along.map((a) => 0.001 * a * a);
  for (let t = 0; t < T; t++)
    for (let j = 0; j < 3; j++) x[t * 3 + j] = (along[t] * [1, 2, 2][j] + across[t] * [2, -2, 1][j]) / 3;
  const { x: pc1, y: pc2, explained } = pca2(x, T, 3);
  const sign = Math.sign(pc1[T - 1]);
  const meanAcross = across.reduce((a, b) => a + b) / T;
  for (let t = 0; t < T; t++) assert.ok(Math.abs(sign * pc1[t] - along[t]) < 1e-6, `pc1[${t}]`);
  const sign2 = Math.sign(pc2[1] / (across[1] - meanAcross));
  for (let t = 0; t < T; t++) assert.ok(Math.abs(sign2 * pc2[t] - (across[t] - meanAcross)) < 1e-6, `pc2[${t}]`);
  assert.ok(explained[0] > 0.999 && explained[0] + explained[1] > 0.999999);
});

test('saturation: the fractions of steps below 0.1 and above 0.9, counted by hand', () => {
  // A hand-made trace: 1 layer, T = 4, B = 1, H = 2, only an input gate.
  const act = Tensor.from([0.05, 0.95, 0.5, 0.99, 0.01, 0.92, 0.02, 0.3], [4, 1, 2], 'float64');
  const h = Tensor.zeros([4, 1, 2], 'float64');
  const trace: Trace = {
    kind: 'lstm',
    variant: 'standard',
    steps: 4,
    batch: 1,
    hiddenSize: 2,
    gateLabels: { i: 'input gate', g: 'candidate' },
    layers: [{ layer: 0, direction: 'forward', gates: { i: { pre: act, act }, g: { pre: act, act } }, c: h, h }],
  };
  const p = saturationPayload(trace);
  // Unit 0 sees 0.05, 0.5, 0.01, 0.02 → 3 of 4 below 0.1; unit 1 sees 0.95, 0.99, 0.92, 0.3 → 3 of 4 above 0.9.
  assert.deepEqual(p.points, {
    layer: [0, 0],
    gate: ['input gate', 'input gate'],
    unit: [0, 1],
    left: [0.75, 0],
    right: [0, 0.75],
  });
});

test('loss: a training history gives train and validation series; smoothing is checked', async () => {
  seed(4);
  const data = adding({ length: 6, count: 64 });
  const [a, b] = data.split(0.75);
  const model = new LSTM({ inputSize: 2, hiddenSize: 3 });
  const history = await train([model, new Linear(3, 1)], a, { epochs: 2, batchSize: 16, validation: b });
  const p = lossPayload(history, { logScale: true });
  assert.deepEqual(
    p.series.map((s) => s.name),
    ['train', 'validation'],
  );
  assert.deepEqual(
    p.series[0].y,
    history.steps.map((s) => s.loss),
  );
  assert.deepEqual(
    p.series[1].x,
    history.epochs.map((e) => e.step),
  );
  assert.equal(p.logScale, true);
  assert.throws(() => lossPayload(history, { smoothing: 1 }), /smoothing must be a number in \[0, 1\), got 1/);
  assert.throws(() => lossPayload(42), /expected a history from train\(\)/);
});

test('gradients: lag 0 is the last step; LSTMs add the cell-state series; empty norms are refused', () => {
  const norms = {
    kind: 'lstm' as const,
    filled: true,
    layers: [
      { layer: 0, direction: 'forward' as const, h: Float64Array.from([1, 2, 3]), c: Float64Array.from([4, 5, 6]) },
    ],
  };
  const p = gradientsPayload([{ name: 'LSTM', norms }]);
  assert.deepEqual(
    p.series.map((s) => [s.name, s.x, s.y]),
    [
      ['LSTM ‖∂L/∂h‖', [0, 1, 2], [3, 2, 1]],
      ['LSTM ‖∂L/∂c‖', [0, 1, 2], [6, 5, 4]],
    ],
  );
  assert.throws(
    () => gradientsPayload([{ name: 'x', norms: { ...norms, filled: false } }]),
    /are empty — call tape.backward\(loss\) first/,
  );
});

test('plot.saturation carries its thresholds in the payload and checks them', () => {
  seed(2);
  const { trace } = new LSTM({ inputSize: 2, hiddenSize: 3 }).forward(Tensor.randn([6, 2, 2]), { trace: true });
  const p = saturationPayload(trace, { low: 0.25, high: 0.75 });
  assert.equal(p.low, 0.25);
  assert.equal(p.high, 0.75);
  assert.match(p.title, /< 0\.25 left, > 0\.75 right/);
  assert.equal(validatePayload(MIME.saturation, p), null);
  assert.throws(
    () => saturationPayload(trace, { low: 0.9, high: 0.1 }),
    /plot\.saturation: expected low below high, got low 0\.9 and high 0\.1/,
  );
  assert.throws(() => saturationPayload(trace, { high: 2 }), /plot\.saturation: high/);
  assert.match(
    String(validatePayload(MIME.saturation, { ...p, low: 'x' })),
    /expected "low" to be a threshold in \[0, 1\], got "x"/,
  );
});
