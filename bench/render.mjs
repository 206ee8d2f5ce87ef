// Render benchmarks, in headless Chromium with the real renderer bundle: the gate
// heatmap of 256 units × 1,000 steps × 6 panels, a 100,000-point loss curve, and appending
// 1,000 points to that live curve; then, in Node, what the kernel does for the same charts
// (payload from a real trace, SVG fallback). Prints a table and a BENCH_JSON line; asserts nothing.
import { join } from 'node:path';
import { openRendererPage } from '../test/browser/renderer-page.mjs';
import { CHROMIUM, ROOT } from '../scripts/code-server/paths.mjs';

const { MIME, SCHEMA_VERSION } = await import(join(ROOT, 'out', 'protocol', 'chart-payloads.js'));
const { encodeF32 } = await import(join(ROOT, 'out', 'protocol', 'float32-codec.js'));
const { page, close } = await openRendererPage();

// Deterministic data with the shapes of the issue (the values do not change the work).
const H = 256;
const T = 1000;
// Panels this large travel as base64 float32, as plot.gates sends them.
const panel = (name, range, f) => ({
  name,
  label: name,
  range,
  values: encodeF32(Array.from({ length: T * H }, (_, k) => f(k))),
});
const gates = {
  kind: 'gates',
  version: SCHEMA_VERSION,
  title: 'bench',
  steps: T,
  units: H,
  panels: [
    panel('i', [0, 1], (k) => (k % 97) / 97),
    panel('f', [0, 1], (k) => (k % 89) / 89),
    panel('g', [-1, 1], (k) => Math.sin(k)),
    panel('o', [0, 1], (k) => (k % 83) / 83),
    panel('c', [-1, 1], (k) => Math.cos(k)),
    panel('h', [-1, 1], (k) => Math.sin(k / 7)),
  ],
};
const N = 100_000;
const lossOf = (n) => ({
  kind: 'loss',
  version: SCHEMA_VERSION,
  title: 'bench',
  logScale: false,
  smoothing: 0.6,
  series: [
    {
      name: 'train',
      x: Array.from({ length: n }, (_, k) => k + 1),
      y: Array.from({ length: n }, (_, k) => 2 * Math.exp(-k / 20000) + 0.05 * Math.sin(k)),
    },
  ],
});

/** Puts the payload's text into the page first: its trip through the debugging protocol is not the renderer's time. */
const stage = (text) =>
  page.evaluate((t) => {
    window.staged = t;
  }, text);

async function timeRender(id, mime, payload, reps) {
  const text = JSON.stringify(payload);
  const times = [];
  for (let r = 0; r < reps; r++) {
    await stage(text);
    const ms = await page.evaluate(
      async ([i, m]) => {
        const t0 = performance.now();
        await window.render(i, m, window.staged);
        await new Promise((resolve) => requestAnimationFrame(() => resolve()));
        return performance.now() - t0;
      },
      [`${id}-${r}`, mime],
    );
    times.push(ms);
    await page.evaluate((i) => window.dispose(i), `${id}-${r}`);
  }
  return { ms: times.sort((a, b) => a - b)[Math.floor(reps / 2)], bytes: text.length };
}

const heat = await timeRender('gates', MIME.gates, gates, 3);
const loss = await timeRender('loss', MIME.loss, lossOf(N), 3);
// Live append: a 100,000-point view, then a payload 1,000 points longer for the same output.
await page.evaluate(([m, t]) => window.render('live', m, t), [MIME.loss, JSON.stringify(lossOf(N))]);
await stage(JSON.stringify(lossOf(N + 1000)));
const append = await page.evaluate(async (m) => {
  const t0 = performance.now();
  await window.render('live', m, window.staged);
  await window.liveViews().get('live').view.runAsync();
  await new Promise((resolve) => requestAnimationFrame(() => resolve()));
  return performance.now() - t0;
}, MIME.loss);
await close();

// The kernel's side, in Node: plot.gates of a real 256-unit, 1,000-step trace and plot.loss of
// 100,000 points, each built and turned into its bundle with the SVG fallback.
const core = await import(join(ROOT, 'out', 'core', 'index.js'));
const { plot } = await import(join(ROOT, 'out', 'plot', 'index.js'));
core.seed(1);
const trace = new core.LSTM({ inputSize: 4, hiddenSize: H }).forward(core.Tensor.randn([T, 1, 4]), {
  trace: true,
}).trace;
const timed = async (f) => {
  const t0 = performance.now();
  const value = await f();
  return [performance.now() - t0, value];
};
const [gateChartMs, gateChart] = await timed(() => plot.gates(trace));
const [gateSvgMs, gateBundle] = await timed(() => gateChart.toBundle());
const [lossSvgMs, lossBundle] = await timed(() => plot.loss(lossOf(N).series).toBundle());

const results = {
  gateHeatmap256x1000x6Ms: +heat.ms.toFixed(0),
  gatePayloadMB: +(heat.bytes / 1e6).toFixed(1),
  lossCurve100kMs: +loss.ms.toFixed(0),
  lossPayloadMB: +(loss.bytes / 1e6).toFixed(1),
  liveAppend1000To100kMs: +append.toFixed(0),
  nodeGatePayloadMs: +gateChartMs.toFixed(0),
  nodeGateSvgMs: +gateSvgMs.toFixed(0),
  gateSvgMB: +(gateBundle['image/svg+xml'].length / 1e6).toFixed(1),
  nodeLossSvg100kMs: +lossSvgMs.toFixed(0),
  lossSvgKB: +(lossBundle['image/svg+xml'].length / 1e3).toFixed(0),
};
console.log(
  `gate heatmap 256 units × 1,000 steps × 6 panels  ${results.gateHeatmap256x1000x6Ms} ms (payload ${results.gatePayloadMB} MB, median of 3)`,
);
console.log(
  `loss curve, 100,000 points                      ${results.lossCurve100kMs} ms (payload ${results.lossPayloadMB} MB, median of 3)`,
);
console.log(
  `live update: 1,000 points appended to 100,000   ${results.liveAppend1000To100kMs} ms (parse + validate + append + draw)`,
);
console.log(
  `Node: plot.gates payload (256 × 1,000 trace)      ${results.nodeGatePayloadMs} ms; its SVG fallback ${results.nodeGateSvgMs} ms (${results.gateSvgMB} MB)`,
);
console.log(
  `Node: 100,000-point loss bundle with SVG          ${results.nodeLossSvg100kMs} ms (SVG ${results.lossSvgKB} KB)`,
);
console.log('BENCH_JSON ' + JSON.stringify({ bench: 'render', chromium: CHROMIUM, results }));
