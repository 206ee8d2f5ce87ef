/**
 * The spec builders, pure and without a DOM: each payload becomes a vega-lite spec that
 * compiles, with fixed colour scales, the data it was given, and the reader's settings.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compile } from 'vega-lite';
import {
  SCHEMA_VERSION,
  type BoxPayload,
  type GatesPayload,
  type GradientsPayload,
  type LossPayload,
  type SaturationPayload,
  type StatesPayload,
} from '../../../protocol/chart-payloads';
import { heatmapPixels, LIGHT_THEME, specFor, type Theme } from '../../../charts/index';

// The assertions read vega-lite specs by path (spec.layer[0].encoding.color…): typing every path would
// restate vega-lite's schema, and compile() below is the check that a spec is valid.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Spec = Record<string, any>;
const imageUrl = () => 'data:,';
const build = (p: Parameters<typeof specFor>[0], extra: Partial<Parameters<typeof specFor>[1]> = {}): Spec => {
  const spec = specFor(p, { theme: LIGHT_THEME, imageUrl, ...extra }) as Spec;
  compile(spec as never); // throws on a spec vega-lite cannot read
  return spec;
};

test('gates: one panel per gate, colour domain fixed to the panel range, scheme by range, tokens as text', () => {
  const p: GatesPayload = {
    kind: 'gates',
    version: SCHEMA_VERSION,
    title: 't',
    steps: 3,
    units: 2,
    tokens: ['a', '\n', ' '],
    panels: [
      { name: 'f', label: 'forget gate', range: [0, 1], values: [0, 0, 0, 0, 0, 0] },
      { name: 'c', label: 'cell state c_t', range: [-1, 1], values: [5, 5, 5, 5, 5, 5] },
    ],
  };
  const spec = build(p);
  assert.equal(spec.vconcat.length, 2);
  const legend = (k: number) => spec.vconcat[k].layer[1].encoding.color.scale;
  // Values of 0 or 5 everywhere do not move the scale: it is the range, clamped.
  assert.deepEqual(legend(0), { domain: [0, 1], scheme: 'viridis', clamp: true });
  assert.deepEqual(legend(1), { domain: [-1, 1], scheme: 'blueorange', clamp: true });
  assert.deepEqual(
    spec.vconcat.map((v: Spec) => v.title.text),
    ['forget gate', 'cell state c_t'],
  );
  // Token labels under each step (centre t + 0.5), with newline and space made visible.
  assert.deepEqual(spec.vconcat[0].layer[2].data.values, [
    { t: 0.5, token: 'a' },
    { t: 1.5, token: '⏎' },
    { t: 2.5, token: '␣' },
  ]);
  assert.deepEqual(spec.vconcat[0].layer[0].encoding.x.scale.domain, [0, 3]);
  assert.deepEqual(spec.vconcat[0].layer[0].encoding.y.scale.domain, [0, 2]);
});

test('gates with named axes (a tensor heatmap): the axis titles are the payload’s', () => {
  const p: GatesPayload = {
    kind: 'gates',
    version: SCHEMA_VERSION,
    title: 'Tensor [2, 3] float32',
    steps: 3,
    units: 2,
    axes: { x: 'column', y: 'row' },
    panels: [{ name: 'values', label: 'values', range: [-1, 1], values: [0, 0, 0, 0, 0, 0] }],
  };
  const image = build(p).vconcat[0].layer[0];
  assert.equal(image.encoding.x.axis.title, 'column');
  assert.equal(image.encoding.y.axis.title, 'row');
  const plain = build({ ...p, axes: undefined }).vconcat[0].layer[0];
  assert.equal(plain.encoding.x.axis.title, 'time step');
  assert.equal(plain.encoding.y.axis.title, 'unit');
});

test('heatmap pixels: row u is unit u, column t is step t, values clamped to the range, NaN transparent', () => {
  // A table where index k has colour (k, 255 − k, 7).
  const table = new Uint8Array(256 * 3);
  for (let k = 0; k < 256; k++) table.set([k, 255 - k, 7], 3 * k);
  // steps = 3, units = 2, values[t · 2 + u].
  const values = [0, 1, 0.5, -3, NaN, 2];
  const px = heatmapPixels(values, 3, 2, [0, 1], table);
  const at = (u: number, t: number) => Array.from(px.slice(4 * (u * 3 + t), 4 * (u * 3 + t) + 4));
  assert.deepEqual(at(0, 0), [0, 255, 7, 255]); // 0 → k = 0
  assert.deepEqual(at(1, 0), [255, 0, 7, 255]); // 1 → k = 255
  assert.deepEqual(at(0, 1), [128, 127, 7, 255]); // 0.5 → k = round(127.5) = 128
  assert.deepEqual(at(1, 1), [0, 255, 7, 255]); // −3 clamps to 0
  assert.equal(at(0, 2)[3], 0); // NaN: transparent
  assert.deepEqual(at(1, 2), [255, 0, 7, 255]); // 2 clamps to 1
  // On [−1, 1], 0 is the middle of the table.
  assert.deepEqual(Array.from(heatmapPixels([0], 1, 1, [-1, 1], table).slice(0, 3)), [128, 127, 7]);
});

test('loss: raw and smoothed layers, the log-scale and smoothing settings override the payload', () => {
  const p: LossPayload = {
    kind: 'loss',
    version: SCHEMA_VERSION,
    title: 'L',
    logScale: false,
    smoothing: 0.5,
    series: [{ name: 'train', x: [1, 2], y: [4, 2] }],
  };
  const spec = build(p);
  assert.equal(spec.layer.length, 2);
  assert.equal(spec.layer[0].encoding.y.scale.type, 'linear');
  assert.deepEqual(
    spec.datasets.points.map((r: Spec) => [r.x, r.y, r.smooth]),
    [
      [1, 4, 4],
      [2, 2, (0.5 * 2 + 0.5 * 2) / 0.75],
    ],
  );
  const log = build(p, { logScale: true, smoothing: 0 });
  assert.equal(log.layer.length, 1, 'no smoothed line without smoothing');
  assert.equal(log.layer[0].encoding.y.scale.type, 'log');
  assert.equal(log.layer[0].mark.opacity, 1);
  assert.equal(build({ ...p, xTitle: 'day', yTitle: '°C' }).layer[0].encoding.x.title, 'day');
});

test('gradients: one row per (run, quantity, lag); zero norms are left out of the log scale', () => {
  const p: GradientsPayload = {
    kind: 'gradients',
    version: SCHEMA_VERSION,
    title: 'g',
    series: [
      { name: 'RNN ‖∂L/∂h‖', run: 'RNN', quantity: 'h', x: [0, 1, 2], y: [1, 0.1, 0] },
      { name: 'LSTM ‖∂L/∂c‖', run: 'LSTM', quantity: 'c', x: [0, 1], y: [1, 0.9] },
    ],
  };
  const spec = build(p);
  assert.deepEqual(
    spec.data.values.map((d: Spec) => [d.run, d.quantity, d.lag, d.norm]),
    [
      ['RNN', '‖∂L/∂h_t‖', 0, 1],
      ['RNN', '‖∂L/∂h_t‖', 1, 0.1],
      ['LSTM', '‖∂L/∂c_t‖', 0, 1],
      ['LSTM', '‖∂L/∂c_t‖', 1, 0.9],
    ],
  );
  assert.equal(spec.encoding.y.scale.type, 'log');
});

test('states and saturation: rows from the columns, PCA panel only when present, one facet per layer', () => {
  const s: StatesPayload = {
    kind: 'states',
    version: SCHEMA_VERSION,
    title: 's',
    steps: 2,
    units: [3],
    h: [[0.1, 0.2]],
    c: [[1, 2]],
  };
  const spec = build(s);
  assert.equal(spec.hconcat.length, 1);
  assert.deepEqual(spec.hconcat[0].data.values, [
    { t: 0, unit: 'unit 3', quantity: 'h_t', value: 0.1 },
    { t: 0, unit: 'unit 3', quantity: 'c_t', value: 1 },
    { t: 1, unit: 'unit 3', quantity: 'h_t', value: 0.2 },
    { t: 1, unit: 'unit 3', quantity: 'c_t', value: 2 },
  ]);
  assert.match(
    build({ ...s, pca: { x: [1, -1], y: [0, 0], explained: [0.75, 0.2] } }).hconcat[1].title.text,
    /95 % of variance/,
  );
  const sat: SaturationPayload = {
    kind: 'saturation',
    version: SCHEMA_VERSION,
    title: 'sat',
    points: { layer: [0, 1], gate: ['input gate', 'forget gate'], unit: [0, 0], left: [0.5, 0], right: [0, 1] },
  };
  const satSpec = build(sat);
  assert.deepEqual(
    satSpec.data.values.map((d: Spec) => [d.layer, d.gate, d.left, d.right]),
    [
      ['layer 0', 'input gate', 0.5, 0],
      ['layer 1', 'forget gate', 0, 1],
    ],
  );
  assert.equal(satSpec.facet.column.field, 'layer');
});

test('the theme colours every chart: foreground on axes, titles and legends', () => {
  const dark: Theme = { ...LIGHT_THEME, foreground: '#eeeeee', grid: '#444444', background: 'transparent' };
  const spec = build(
    {
      kind: 'loss',
      version: SCHEMA_VERSION,
      title: 'L',
      logScale: false,
      smoothing: 0,
      series: [{ name: 'a', x: [1], y: [1] }],
    },
    { theme: dark },
  );
  assert.equal(spec.config.axis.labelColor, '#eeeeee');
  assert.equal(spec.config.axis.gridColor, '#444444');
  assert.equal(spec.config.title.color, '#eeeeee');
  assert.equal(spec.config.legend.labelColor, '#eeeeee');
  assert.equal(spec.config.background, 'transparent');
});

test('the saturation chart names the thresholds its points were counted with; payloads saved without them read 0.1 / 0.9', () => {
  const points = { layer: [0], gate: ['forget gate'], unit: [0], left: [0.5], right: [0.1] };
  const titles = (p: SaturationPayload): string[] => {
    const layers = (
      specFor(p, { theme: LIGHT_THEME, imageUrl: () => '' }) as {
        spec: { layer: Array<{ encoding: { x: { title: string }; y: { title: string } } }> };
      }
    ).spec.layer;
    return [layers[1].encoding.x.title, layers[1].encoding.y.title];
  };
  assert.deepEqual(titles({ kind: 'saturation', version: SCHEMA_VERSION, title: 't', points, low: 0.2, high: 0.8 }), [
    'fraction left-saturated (< 0.2)',
    'fraction right-saturated (> 0.8)',
  ]);
  assert.deepEqual(titles({ kind: 'saturation', version: SCHEMA_VERSION, title: 't', points }), [
    'fraction left-saturated (< 0.1)',
    'fraction right-saturated (> 0.9)',
  ]);
});

test('box: one row per group in the payload order, whiskers min to max, every value a dot with its label', () => {
  const p: BoxPayload = {
    kind: 'box',
    version: SCHEMA_VERSION,
    title: 't',
    groups: [
      { name: 'GRU', values: [0.002, 0.004], labels: ['seed 0', 'seed 1'] },
      { name: 'LSTM', values: [0.5] },
    ],
    valueTitle: 'test loss (mse)',
    logScale: true,
  };
  const spec = build(p);
  assert.deepEqual(spec.data.values, [
    { group: 'GRU', value: 0.002, label: 'seed 0' },
    { group: 'GRU', value: 0.004, label: 'seed 1' },
    { group: 'LSTM', value: 0.5, label: 'value 1' },
  ]);
  const [box, dots] = spec.layer;
  assert.equal(box.mark.type, 'boxplot');
  assert.equal(box.mark.extent, 'min-max');
  assert.equal(dots.mark.type, 'point');
  // Drawn in the payload's order (a sweep's best first), not alphabetically.
  assert.deepEqual(box.encoding.y.sort, ['GRU', 'LSTM']);
  assert.deepEqual(box.encoding.x.scale, { type: 'log' });
  assert.equal(box.encoding.x.title, 'test loss (mse)');
  assert.deepEqual(build({ ...p, logScale: false }).layer[1].encoding.x.scale, { type: 'linear', zero: false });
});
