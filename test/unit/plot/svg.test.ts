/** The SVG fallback, rendered by vega in Node: a real SVG with the chart's marks. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seed } from '../../../core/random';
import { LSTM } from '../../../core/lstm';
import { Tensor } from '../../../core/tensor';
import { plot } from '../../../plot/index';

test('a gate chart renders to SVG with one embedded PNG per panel, and carries its payload and summary', async () => {
  seed(1);
  const trace = new LSTM({ inputSize: 2, hiddenSize: 4 }).forward(Tensor.randn([6, 1, 2]), { trace: true }).trace!;
  const bundle = await plot.gates(trace).toBundle();
  const svg = bundle['image/svg+xml'] as string;
  assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.equal((svg.match(/<image /g) ?? []).length, 6);
  assert.equal((svg.match(/href="data:image\/png;base64,/g) ?? []).length, 6);
  assert.match(bundle['text/plain'] as string, /i, f, g, o, c, h over 6 steps × 4 units/);
  assert.ok(bundle['application/vnd.lstm-notebook.gates+json']);
});

test('a loss chart renders its lines; live updates can skip the SVG', async () => {
  const chart = plot.loss([{ name: 'run', loss: [3, 2, 1.5, 1.2] }]);
  const full = await chart.toBundle();
  assert.match(full['image/svg+xml'] as string, /<path[^>]*class="[^"]*"|<path /);
  assert.ok(!('image/svg+xml' in (await chart.toBundle({ svg: false }))));
});
