/**
 * The plot API as the kernel calls it: a live loss curve fed point by point, plot.loss of it,
 * and the default chart of a cell's value (trace → gates, history → loss, gradient norms →
 * gradients, anything else → none).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seed } from '../../../core/random';
import { LSTM } from '../../../core/lstm';
import { Tensor } from '../../../core/tensor';
import { Tape } from '../../../core/tape';
import { timeStep } from '../../../core/ops';
import { mseLoss } from '../../../core/loss';
import { Chart, defaultChart, LiveLoss, pausedChart, plot } from '../../../plot/index';
import { MIME, VEGA_LITE_MIME, type GatesPayload, type LossPayload } from '../../../protocol/chart-payloads';

test('a live loss curve holds what was pushed; plot.loss and chart() draw it', async () => {
  const live = new LiveLoss();
  live.pushStep(1, 2.5);
  live.pushStep(2, 2.0);
  assert.deepEqual((live.chart().payload as LossPayload).series, [{ name: 'train', x: [1, 2], y: [2.5, 2.0] }]);
  live.pushValidation(2, 2.2);
  live.pushStep(3, 1.5);
  const chart = plot.loss(live, { logScale: true });
  assert.ok(chart instanceof Chart);
  assert.equal(chart.mime, MIME.loss);
  const p = chart.payload as LossPayload;
  assert.deepEqual(p.series, [
    { name: 'train', x: [1, 2, 3], y: [2.5, 2.0, 1.5] },
    { name: 'validation', x: [2], y: [2.2] },
  ]);
  assert.equal(p.logScale, true);
  assert.equal(chart.summary, 'Loss: train 1.500 after 3 points; validation 2.200 after 1 point');
  // A chart is a snapshot: training goes on, the chart made before does not change.
  live.pushStep(4, 1.2);
  assert.deepEqual((chart.payload as LossPayload).series[0].y, [2.5, 2.0, 1.5]);
  const bundle = await live.chart().toBundle({ svg: false });
  assert.deepEqual(Object.keys(bundle).sort(), [MIME.loss, VEGA_LITE_MIME, 'text/plain'].sort());
});

test('default charts: a trace shows its gates, gradient norms their flow, other values nothing', () => {
  seed(3);
  const model = new LSTM({ inputSize: 2, hiddenSize: 3 });
  const { trace } = model.forward(Tensor.randn([5, 1, 2]), { trace: true });
  assert.equal(defaultChart(trace)?.mime, MIME.gates);
  const tape = new Tape();
  const { output, gradNorms } = model.forward(Tensor.randn([5, 1, 2]), { tape, gradNorms: true });
  tape.backward(mseLoss(timeStep(output, 4, tape), Tensor.zeros([1, 3]), { tape }));
  assert.equal(defaultChart(gradNorms)?.mime, MIME.gradients);
  const history = { steps: [{ step: 1, loss: 1 }], epochs: [], stopped: 'completed' };
  assert.equal(defaultChart(history)?.mime, MIME.loss);
  for (const other of [model, 42, 'text', null, undefined, { layers: [] }, [1, 2]])
    assert.equal(defaultChart(other), null, String(other));
});

test('plot.series refuses x and y of different lengths at the call, naming the run and both lengths', () => {
  assert.throws(
    () => plot.series([{ name: 'forecast', x: [1, 2, 3], y: [0.5, 0.6] }]),
    /runs\[0\] \("forecast"\) needs as many x as y values, got 3 x and 2 y/,
  );
  assert.ok(plot.series([{ name: 'ok', x: [1, 2], y: [3, 4] }]) instanceof Chart);
});

test('pausedChart (Debug Cell): a trace or a forward result with one draws its gates or states; anything else is refused with what works', () => {
  seed(5);
  const model = new LSTM({ inputSize: 2, hiddenSize: 3 });
  const x = Tensor.randn([4, 1, 2]);
  const traced = model.forward(x, { trace: true });
  const gates = plot.gates(traced.trace).payload;
  const states = plot.states(traced.trace).payload;
  assert.deepEqual(pausedChart(traced, 'gates').payload, gates);
  assert.deepEqual(pausedChart(traced.trace, 'gates').payload, gates);
  assert.deepEqual(pausedChart(traced, 'states').payload, states);
  assert.deepEqual(pausedChart(traced.trace, 'states').payload, states);
  assert.throws(
    () => pausedChart(model.forward(x), 'gates'),
    /this forward result has no trace: run model\.forward\(x, \{ trace: true \}\) to record the gates, or show the model/,
  );
  assert.throws(
    () => pausedChart(42, 'states'),
    /the states of a paused cell: expected a model, a trace, or a forward result made with \{ trace: true \}, got 42/,
  );
  assert.throws(() => pausedChart(traced, 'loss' as 'gates'), /expected 'gates' or 'states', got "loss"/);
});

test('pausedChart of a model: its last input run again with the current weights; before any forward it says so', () => {
  seed(6);
  const model = new LSTM({ inputSize: 2, hiddenSize: 3, numLayers: 2 });
  assert.throws(() => pausedChart(model, 'gates'), /LSTM\(2 → 3, 2 layers\) has not run forward yet/);
  const x = Tensor.randn([5, 2, 2]);
  const first = Tensor.randn([5, 2, 2]);
  model.forward(first);
  model.forward(x); // the last input is x
  const byHand = model.forward(x, { trace: true }).trace;
  const chart = pausedChart(model, 'gates');
  const expected = plot.gates(byHand, {
    title: 'LSTM(2 → 3, 2 layers) gates on its last input (current weights), layer 0, sample 0',
  });
  assert.deepEqual(chart.payload, expected.payload);
  assert.match(chart.summary, /^LSTM\(2 → 3, 2 layers\) gates on its last input/);
  assert.deepEqual(
    (pausedChart(model, 'states').payload as { title: string }).title,
    'LSTM(2 → 3, 2 layers) states on its last input (current weights), layer 0, sample 0',
  );
});

test('a 2-D tensor larger than a screen of numbers gets a heatmap (columns across, rows down) with its printed values as text', () => {
  const R = 30;
  const C = 20;
  const t = new Tensor(
    Float32Array.from({ length: R * C }, (_, k) => Math.sin(k) * 3),
    [R, C],
  );
  const chart = defaultChart(t)!;
  assert.ok(chart instanceof Chart);
  const p = chart.payload as GatesPayload;
  assert.equal(p.kind, 'gates');
  assert.deepEqual(p.axes, { x: 'column', y: 'row' });
  assert.equal(p.steps, C);
  assert.equal(p.units, R);
  assert.equal(p.title, 'Tensor [30, 20] float32');
  const values = p.panels[0].values as number[];
  // values[c · R + r] is t[r, c], rounded as panels are (1e-5): row 7, column 3.
  assert.ok(Math.abs(values[3 * R + 7] - t.data[7 * C + 3]) < 1e-5);
  assert.ok(Math.abs(values[0] - t.data[0]) < 1e-5);
  // Values of both signs: a range symmetric around 0, as wide as the largest magnitude.
  const largest = Math.max(...Array.from(t.data, Math.abs));
  assert.deepEqual(p.panels[0].range, [-largest, largest]);
  assert.equal(chart.summary, t.toString());
  // Small, 1-D, 3-D or non-finite tensors print only.
  assert.equal(defaultChart(Tensor.zeros([10, 20])), null);
  assert.equal(defaultChart(Tensor.zeros([500])), null);
  assert.equal(defaultChart(Tensor.zeros([10, 10, 10])), null);
  const withNan = Tensor.zeros([30, 20]);
  withNan.data[5] = Number.NaN;
  assert.equal(defaultChart(withNan), null);
});
