/**
 * Every chart but a text view carries its vega-lite spec under application/vnd.vegalite.v5+json,
 * the spec its SVG is rendered from: plain JSON that vega-lite compiles and vega draws, with the
 * chart's marks — what a Jupyter front end does with it. Mark counts are worked out from the
 * payloads, not from the specs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { seed } from '../../../core/random';
import { LSTM } from '../../../core/lstm';
import { Tensor } from '../../../core/tensor';
import { Tape } from '../../../core/tape';
import { timeStep } from '../../../core/ops';
import { mseLoss } from '../../../core/loss';
import { Chart, plot } from '../../../plot/index';
import { renderSvg } from '../../../plot/svg';
import type { VegaLiteSpec } from '../../../plot/vega-lite';
import { LIGHT_THEME, specFor } from '../../../charts/index';
import { VEGA_LITE_MIME, type LossPayload, type StatesPayload } from '../../../protocol/chart-payloads';

const T = 6;
const H = 3;
seed(4);
const model = new LSTM({ inputSize: 2, hiddenSize: H });
const trace = model.forward(Tensor.randn([T, 1, 2]), { trace: true }).trace!;
const tape = new Tape();
const { output, gradNorms } = model.forward(Tensor.randn([T, 1, 2]), { tape, gradNorms: true });
tape.backward(mseLoss(timeStep(output, T - 1, tape), Tensor.zeros([1, H]), { tape }));

/** Each chart kind, and the data marks (role 'mark') it must draw, by mark type. */
const CHARTS: Array<{ chart: Chart; marks: Record<string, number> }> = [
  // Six panels (i, f, g, o, c, h), each one image.
  { chart: plot.gates(trace), marks: { image: 6 } },
  // Two series, raw and smoothed (the default smoothing is above 0): a line point per value, twice.
  {
    chart: plot.loss([
      { name: 'a', loss: [3, 2, 1.5, 1.2] },
      { name: 'b', loss: [2.5, 2, 1.8] },
    ]),
    marks: { line: 2 * (4 + 3) },
  },
  // c_t and h_t of every unit over every step, then the PCA path: a line and a dot per step.
  { chart: plot.states(trace), marks: { line: 2 * H * T + T, symbol: T } },
  // ‖∂L/∂h‖ and ‖∂L/∂c‖ at every lag, as lines with a point on each value.
  { chart: plot.gradients(gradNorms!), marks: { line: 2 * T, symbol: 2 * T } },
  // A dot per unit of each sigmoid gate (i, f, o); the diagonal's two ends.
  { chart: plot.saturation(trace), marks: { symbol: 3 * H, line: 2 } },
  // A dot per value; per group a box and its median tick (rects) and two whiskers (rules).
  { chart: plot.box({ slow: [0.3, 0.5, 0.4], fast: [0.1, 0.2] }), marks: { symbol: 5, rect: 2 * 2, rule: 2 * 2 } },
];

/** A mark of vega's scenegraph: a group's items hold marks in turn. */
interface SceneMark {
  marktype: string;
  role: string;
  items: Array<{ items?: SceneMark[] }>;
}

/** The spec compiled by vega-lite and drawn by vega headless: its SVG and its data marks by type. */
async function draw(spec: VegaLiteSpec): Promise<{ svg: string; marks: Record<string, number> }> {
  const view = new vega.View(vega.parse(compile(spec as never).spec), { renderer: 'none', logLevel: vega.None });
  try {
    const svg = await view.toSVG();
    const marks: Record<string, number> = {};
    const walk = (mark: SceneMark) => {
      if (mark.role === 'mark') marks[mark.marktype] = (marks[mark.marktype] ?? 0) + mark.items.length;
      if (mark.marktype === 'group') for (const item of mark.items) for (const m of item.items ?? []) walk(m);
    };
    // The typings call scenegraph() a Scene; at run time it is the renderer's scenegraph, rooted at `root`.
    walk((view.scenegraph() as unknown as { root: SceneMark }).root);
    return { svg, marks };
  } finally {
    view.finalize();
  }
}

/** vega numbers the clip paths and gradients of an SVG on from the ones it drew before in the process. */
const withoutIds = (svg: string) => svg.replace(/\b(clip|gradient_)\d+/g, '$1#');

for (const { chart, marks } of CHARTS) {
  const kind = chart.payload.kind;

  test(`${kind}: the bundle carries the vega-lite spec, plain JSON, and its SVG is that spec rendered`, async () => {
    const bundle = await chart.toBundle();
    const spec = bundle[VEGA_LITE_MIME] as VegaLiteSpec;
    assert.ok(spec, `no ${VEGA_LITE_MIME} in the ${kind} bundle: ${Object.keys(bundle).join(', ')}`);
    assert.equal(spec.$schema, 'https://vega.github.io/schema/vega-lite/v5.json');
    assert.deepEqual(JSON.parse(JSON.stringify(spec)), spec, 'the spec changes through JSON');
    // After the SVG was made from it too: rendering must not have changed the spec in the bundle.
    assert.equal(
      withoutIds(bundle['image/svg+xml'] as string),
      withoutIds(await renderSvg(JSON.parse(JSON.stringify(spec)) as VegaLiteSpec)),
    );
    // A live update (no SVG) carries the same spec.
    assert.deepEqual((await chart.toBundle({ svg: false }))[VEGA_LITE_MIME], spec);
  });

  test(`${kind}: vega-lite compiles the spec and vega draws its marks`, async () => {
    const spec = (await chart.toBundle({ svg: false }))[VEGA_LITE_MIME] as VegaLiteSpec;
    const drawn = await draw(spec);
    assert.match(drawn.svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    for (const [type, count] of Object.entries(marks))
      assert.equal(drawn.marks[type], count, `${kind}: ${type} marks drawn ${JSON.stringify(drawn.marks)}`);
  });
}

test('a gate panel is a PNG data URL at the chart size, in the spec as in its SVG', async () => {
  const bundle = await plot.gates(trace).toBundle();
  const urls = JSON.stringify(bundle[VEGA_LITE_MIME]).match(/data:image\/png;base64,[A-Za-z0-9+/=]+/g) ?? [];
  assert.equal(urls.length, 6);
  for (const url of urls) {
    const png = Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [T, H], 'a panel is steps × units pixels');
    assert.ok((bundle['image/svg+xml'] as string).includes(url), 'the SVG embeds another picture');
  }
});

test('a text view has no vega-lite spec (it is HTML)', async () => {
  const bundle = await plot.text(trace, { text: 'abcdef', top: 2 }).toBundle();
  assert.ok(!(VEGA_LITE_MIME in bundle), `a text view carries ${VEGA_LITE_MIME}`);
  assert.ok('text/html' in bundle);
});

test('NaN in a payload (a diverged model) is null in the spec, as JSON writes it, and the rest still draws', async () => {
  const payload: StatesPayload = {
    kind: 'states',
    version: 1,
    title: 'diverged',
    steps: 3,
    units: [0],
    h: [[0.1, NaN, 0.3]],
  };
  const spec = (await new Chart(payload, 'diverged').toBundle())[VEGA_LITE_MIME] as VegaLiteSpec;
  assert.deepEqual(JSON.parse(JSON.stringify(spec)), spec);
  assert.match(JSON.stringify(spec), /"value":null/);
  // The line breaks at the null: two moves, each to a lone point, in the one path drawn.
  const paths = (await draw(spec)).svg.match(/<path aria-label="time step[^>]* d="([^"]*)"/g) ?? [];
  assert.equal(paths.length, 1);
  assert.equal(paths[0].match(/ d="([^"]*)"/)![1].match(/M/g)?.length, 2, paths[0]);
});

test('a loss spec carries its rows as columns that flatten zips back: it draws what the rows draw, in fewer bytes', async () => {
  const loss = Array.from({ length: 500 }, (_, k) => 3 * Math.exp(-k / 100) + 0.1 * Math.sin(k));
  const chart = plot.loss([{ name: 'train', loss }]);
  const columns = (await chart.toBundle({ svg: false }))[VEGA_LITE_MIME] as VegaLiteSpec;
  // The rows form, as charts/ builds it for the renderer: the reference drawing.
  const rows = specFor(chart.payload as LossPayload, { theme: LIGHT_THEME, imageUrl: () => '' }) as VegaLiteSpec;
  assert.deepEqual(columns.transform, [{ flatten: ['series', 'x', 'y', 'smooth'] }]);
  const [drawnColumns, drawnRows] = [await draw(columns), await draw(rows)];
  assert.equal(withoutIds(drawnColumns.svg), withoutIds(drawnRows.svg));
  assert.deepEqual(drawnColumns.marks, { line: 2 * 500 });
  const [small, big] = [JSON.stringify(columns).length, JSON.stringify(rows).length];
  assert.ok(small < 0.7 * big, `columns ${small} bytes, rows ${big}`);
});
