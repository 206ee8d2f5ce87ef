// The notebook renderer in headless Chromium (Debian's chromium through playwright-core): each
// chart draws the payload it was given, a live loss chart grows in place, bad payloads show an
// error box (as text), and a view is finalized when its output goes. Payloads come from the
// real plot builders over real traces of the core.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT } from '../../scripts/code-server/paths.mjs';
import { imageMarks, openRendererPage, renderOutput } from './renderer-page.mjs';

const core = await import(join(ROOT, 'out', 'core', 'index.js'));
const builders = await import(join(ROOT, 'out', 'plot', 'builders.js'));
const { MIME } = await import(join(ROOT, 'out', 'protocol', 'chart-payloads.js'));
const { boxPayload } = await import(join(ROOT, 'out', 'plot', 'box.js'));

let harness;
let page;

before(async () => {
  harness = await openRendererPage();
  page = harness.page;
});

after(() => harness?.close());

const render = (id, mime, payload) => renderOutput(page, id, mime, payload);

function traceOf(model, T, B, I) {
  core.seed(3);
  return model.forward(core.Tensor.randn([T, B, I]), { trace: true }).trace;
}

/** Renders the gate chart of `trace` and hovers over three panels: the tooltip must name the step and unit under the pointer and their value in the trace. */
async function checkGates(id, trace, sample) {
  const payload = builders.gatesPayload(trace, { sample });
  await render(id, MIME.gates, payload);
  const images = await imageMarks(page, id);
  assert.deepEqual(
    images.found.map((i) => i.panel).sort(),
    payload.panels.map((_, k) => k),
  );
  assert.deepEqual(
    payload.panels.map((p) => p.name),
    ['i', 'f', 'g', 'o', 'c', 'h'],
  );
  let checked = 0;
  for (const [k, fx, fy] of [
    [0, 0.1, 0.1],
    [2, 0.55, 0.5],
    [5, 0.95, 0.9],
  ]) {
    const image = images.found.find((i) => i.panel === k);
    // Tall charts run past the viewport: scroll the panel into view, then take the canvas's place.
    await page
      .locator(`#${id} canvas`)
      .evaluate(
        (canvas, top) => window.scrollTo(0, canvas.getBoundingClientRect().top + window.scrollY + top - 100),
        images.origin[1] + image.y,
      );
    const box = await page.locator(`#${id} canvas`).boundingBox();
    await page.mouse.move(
      box.x + images.origin[0] + image.x + fx * image.w,
      box.y + images.origin[1] + image.y + fy * image.h,
    );
    const tip = await page.locator(`#${id} .lstm-tooltip`).textContent();
    const m = /^(.+?) {2}· {2}step (\d+) {2}· {2}unit (\d+) {2}· {2}(-?\d\.\d{4})/.exec(tip ?? '');
    if (!m) continue;
    const panel = payload.panels[k];
    assert.equal(m[1], panel.label, tip);
    // The step and unit under the pointer, from its position in the image.
    assert.equal(Number(m[2]), Math.floor(fx * payload.steps), tip);
    assert.equal(Number(m[3]), Math.floor(fy * payload.units), tip);
    // The value straight from the trace's tensor: x[t, sample, u].
    const t = Number(m[2]);
    const u = Number(m[3]);
    const source =
      panel.name === 'c'
        ? trace.layers[0].c
        : panel.name === 'h'
          ? trace.layers[0].h
          : trace.layers[0].gates[panel.name].act;
    assert.equal(Number(m[4]).toFixed(4), source.get(t, sample, u).toFixed(4), tip);
    checked++;
  }
  assert.equal(checked, 3, 'the tooltip did not appear over each heatmap');
  return payload;
}

test('a tensor heatmap: columns across, rows down, and the tooltip names the column and row of the value under the pointer', async () => {
  const R = 30;
  const C = 20;
  const tensor = new core.Tensor(
    Float32Array.from({ length: R * C }, (_, k) => Math.sin(k)),
    [R, C],
  );
  const payload = builders.tensorHeatmapPayload(tensor);
  await render('tensor-heatmap', MIME.gates, payload);
  const images = await imageMarks(page, 'tensor-heatmap');
  const image = images.found[0];
  const box = await page.locator('#tensor-heatmap canvas').boundingBox();
  // Over column 15, row 7 (the middle of that cell).
  await page.mouse.move(
    box.x + images.origin[0] + image.x + ((15 + 0.5) / C) * image.w,
    box.y + images.origin[1] + image.y + ((7 + 0.5) / R) * image.h,
  );
  const tip = await page.locator('#tensor-heatmap .lstm-tooltip').textContent();
  assert.match(tip ?? '', /^values {2}· {2}column 15 {2}· {2}row 7 {2}· {2}/);
  assert.equal(/(-?\d\.\d{4})$/.exec(tip)[1], tensor.get(7, 15).toFixed(4), tip);
});

test('gate heatmaps: one image per panel, and the tooltip reads the exact value under the pointer', async () => {
  const payload = await checkGates('gates', traceOf(new core.LSTM({ inputSize: 3, hiddenSize: 12 }), 40, 2, 3), 1);
  assert.ok(Array.isArray(payload.panels[0].values), 'a small panel travels as a JSON list');
});

test('large gate panels (base64 float32) draw and read back the same way', async () => {
  const payload = await checkGates(
    'gates-large',
    traceOf(new core.LSTM({ inputSize: 3, hiddenSize: 128 }), 120, 1, 3),
    0,
  );
  assert.equal(typeof payload.panels[0].values, 'string', 'a 128 × 120 panel should travel as base64');
});

test('loss chart: the points drawn are the payload; a longer payload is appended to the same view', async () => {
  const losses = Array.from({ length: 300 }, (_, k) => 2 * Math.exp(-k / 80) + 0.1);
  const first = builders.lossPayload([{ name: 'train', loss: losses.slice(0, 200) }]);
  await render('loss', MIME.loss, first);
  const before = await page.evaluate(() => {
    const { view } = window.liveViews().get('loss');
    window.lossView = view;
    return view
      .data('points')
      .slice()
      .sort((p, q) => p.x - q.x)
      .map((d) => d.y);
  });
  assert.deepEqual(before, losses.slice(0, 200));
  await render('loss', MIME.loss, builders.lossPayload([{ name: 'train', loss: losses }]));
  const after = await page.evaluate(() => {
    const { view } = window.liveViews().get('loss');
    const points = view
      .data('points')
      .slice()
      .sort((p, q) => p.x - q.x);
    return { same: view === window.lossView, ys: points.map((d) => d.y), smooth: points.map((d) => d.smooth) };
  });
  assert.equal(after.same, true, 'the view was re-created for an update');
  assert.deepEqual(after.ys, losses);
  // Debiased EMA with β = 0.6 (the default), computed here independently.
  let m = 0;
  const expected = losses.map((y, k) => {
    m = 0.6 * m + 0.4 * y;
    return m / (1 - 0.6 ** (k + 1));
  });
  after.smooth.forEach((s, k) =>
    assert.ok(Math.abs(s - expected[k]) < 1e-12, `smoothed point ${k}: ${s} vs ${expected[k]}`),
  );
});

test('a 30,000-point loss chart draws bounded rows and stays the same view as 10,000 points arrive', async () => {
  const ys = Array.from(
    { length: 40_000 },
    (_, k) => 2 * Math.exp(-k / 5000) + 0.2 * Math.sin(k * 0.37) ** 5 + (k === 31_234 ? 5 : 0),
  );
  const payload = (n) => ({ ...builders.lossPayload([{ name: 'train', loss: ys.slice(0, n) }]), smoothing: 0.9 });
  await render('big-loss', MIME.loss, payload(30_000));
  await page.evaluate(() => {
    window.bigView = window.liveViews().get('big-loss').view;
  });
  for (const n of [31_000, 35_000, 40_000]) await render('big-loss', MIME.loss, payload(n));
  const drawn = await page.evaluate(async () => {
    const { view } = window.liveViews().get('big-loss');
    await view.runAsync();
    return { same: view === window.bigView, rows: view.data('points').map((d) => [d.x, d.y, d.smooth]) };
  });
  assert.equal(drawn.same, true, 'the view was re-created for an update');
  // 40,000 points in ≤ 2,048 buckets of 32: at most 2 rows per bucket.
  assert.ok(drawn.rows.length <= 2 * 1250 && drawn.rows.length >= 1250, `${drawn.rows.length} rows`);
  // Every row is a point of the payload (x = index + 1), with its debiased EMA (β = 0.9) computed here.
  let m = 0;
  const smooth = ys.map((y, k) => {
    m = 0.9 * m + 0.1 * y;
    return m / (1 - 0.9 ** (k + 1));
  });
  for (const [x, y, s] of drawn.rows) {
    assert.equal(y, ys[x - 1], `row at x = ${x}`);
    assert.ok(Math.abs(s - smooth[x - 1]) < 1e-9, `smooth at x = ${x}`);
  }
  // The spike that arrived in a live update is drawn, and so is each bucket's low.
  assert.ok(
    drawn.rows.some(([x]) => x === 31_235),
    'the spike is missing',
  );
  const lows = new Set(drawn.rows.map(([x]) => x));
  for (let start = 0; start < 40_000; start += 32) {
    let lo = start;
    for (let k = start; k < start + 32; k++) if (ys[k] < ys[lo]) lo = k;
    assert.ok(lows.has(lo + 1), `bucket at ${start}: its lowest point ${lo + 1} is not drawn`);
  }
});

test('updates that arrive while a large loss chart is first drawn are applied once it is drawn, without leaking views', async () => {
  const ys = Array.from({ length: 60_000 }, (_, k) => 1 + Math.cos(k / 100) / (1 + k / 1000));
  const text = (n) => JSON.stringify(builders.lossPayload([{ name: 'train', loss: ys.slice(0, n) }]));
  const before = await page.evaluate(() => window.openViewCount());
  // Five renders of the same output, not awaited one by one: VS Code does not wait either.
  await page.evaluate(
    ([mime, texts]) => Promise.all(texts.map((t) => window.render('racing', mime, t))),
    [MIME.loss, [50_000, 52_000, 54_000, 57_000, 60_000].map(text)],
  );
  const after = await page.evaluate(async () => {
    const { view } = window.liveViews().get('racing');
    await view.runAsync();
    const xs = view.data('points').map((d) => d.x);
    return {
      open: window.openViewCount(),
      last: Math.max(...xs),
      canvases: document.querySelectorAll('#racing canvas').length,
    };
  });
  assert.equal(after.last, 60_000, 'the newest update was not applied');
  assert.equal(after.open, before + 1, 'a view of a superseded draw was not finalized');
  assert.equal(after.canvases, 1);
  await page.evaluate(() => window.dispose('racing'));
  assert.equal(await page.evaluate(() => window.openViewCount()), before);
  // An output removed while its first draw is under way: the view it was making is finalized.
  await page.evaluate(
    async ([mime, t]) => {
      const drawing = window.render('removed-early', mime, t);
      window.dispose('removed-early');
      await drawing;
    },
    [MIME.loss, text(50_000)],
  );
  assert.equal(
    await page.evaluate(() => window.openViewCount()),
    before,
    'the view of a removed output was not finalized',
  );
});

test('the loss controls: log scale switches the y scale, the smoothing slider recomputes the debiased EMA', async () => {
  const losses = [5, 3, 4, 1, 2, 0.5];
  await render('controls', MIME.loss, builders.lossPayload([{ name: 'train', loss: losses }], { smoothing: 0.6 }));
  const yScale = () => page.evaluate(() => window.liveViews().get('controls').view.scale('y').type);
  assert.equal(await yScale(), 'linear');
  await page.locator('#controls input[type=checkbox]').check();
  await page.waitForFunction(() => window.liveViews().get('controls').view?.scale('y').type === 'log');
  // β = 0.3 through the slider, as a reader would drag it.
  await page.locator('#controls input[type=range]').fill('0.3');
  let m = 0;
  const expected = losses.map((y, k) => {
    m = 0.3 * m + 0.7 * y;
    return m / (1 - 0.3 ** (k + 1));
  });
  // The chart is redrawn with the new β: wait until its second point is smoothed with it.
  await page.waitForFunction(
    (s1) => {
      const points = window.liveViews().get('controls').view?.data('points') ?? [];
      const second = points.find((d) => d.x === 2);
      return second !== undefined && Math.abs(second.smooth - s1) < 1e-12;
    },
    expected[1],
    { timeout: 10_000 },
  );
  const smooth = await page.evaluate(async () => {
    const { view } = window.liveViews().get('controls');
    await view.runAsync();
    return {
      log: view.scale('y').type,
      values: view
        .data('points')
        .slice()
        .sort((p, q) => p.x - q.x)
        .map((d) => d.smooth),
    };
  });
  assert.equal(smooth.log, 'log', 'changing the smoothing lost the log scale');
  smooth.values.forEach((v, k) =>
    assert.ok(Math.abs(v - expected[k]) < 1e-12, `smoothed point ${k}: ${v} vs ${expected[k]}`),
  );
  // A validation series appears (a new chart for the same output): the reader's settings stay.
  await render(
    'controls',
    MIME.loss,
    builders.lossPayload(
      [
        { name: 'train', loss: losses },
        { name: 'validation', x: [3, 6], y: [4, 1] },
      ],
      { smoothing: 0.6 },
    ),
  );
  const kept = await page.evaluate(() => ({
    log: window.liveViews().get('controls').view.scale('y').type,
    slider: document.querySelector('#controls input[type=range]').value,
  }));
  assert.deepEqual(kept, { log: 'log', slider: '0.3' });
});

test('states, gradients and saturation charts draw one mark per datum', async () => {
  const trace = traceOf(new core.LSTM({ inputSize: 2, hiddenSize: 6 }), 25, 1, 2);
  await render('states', MIME.states, builders.statesPayload(trace, { units: [0, 2, 5] }));
  // Trajectories: 3 units × (c, h) lines; PCA: one path line plus 25 points.
  assert.equal(await page.locator('#states .mark-line.role-mark path').count(), 3 * 2 + 1);
  assert.equal(await page.locator('#states .mark-symbol.role-mark path').count(), 25);

  const rnn = new core.RNN({ inputSize: 2, hiddenSize: 5 });
  const lstm = new core.LSTM({ inputSize: 2, hiddenSize: 5 });
  const norms = (model) => {
    const tape = new core.Tape();
    const x = core.Tensor.randn([20, 1, 2]);
    const { output, gradNorms } = model.forward(x, { tape, gradNorms: true });
    tape.backward(core.mseLoss(core.timeStep(output, 19, tape), core.Tensor.zeros([1, 5]), { tape }));
    return gradNorms;
  };
  await render(
    'gradients',
    MIME.gradients,
    builders.gradientsPayload([
      { name: 'RNN', norms: norms(rnn) },
      { name: 'LSTM', norms: norms(lstm) },
    ]),
  );
  // RNN: h; LSTM: h and c — three lines, and the legend names both models.
  assert.equal(await page.locator('#gradients .mark-line.role-mark path').count(), 3);
  const legend = (await page.locator('#gradients .role-legend').allTextContents()).join(' ');
  assert.match(legend, /RNN/);
  assert.match(legend, /LSTM/);

  const sat = builders.saturationPayload(
    traceOf(new core.LSTM({ inputSize: 3, hiddenSize: 7, numLayers: 2 }), 30, 2, 3),
  );
  await render('saturation', MIME.saturation, sat);
  // 2 layers × 3 sigmoid gates (i, f, o) × 7 units.
  assert.equal(sat.points.unit.length, 2 * 3 * 7);
  assert.equal(await page.locator('#saturation .mark-symbol.role-mark path').count(), 2 * 3 * 7);
});

test("a box chart draws one box per group, in the payload's order, and a dot for every value", async () => {
  const payload = boxPayload([
    { name: 'GRU', values: [0.001, 0.002, 0.004] },
    { name: 'LSTM', values: [0.003, 0.01, 0.2] },
    { name: 'RNN', values: [0.16, 0.17] },
  ]);
  await render('box', MIME.box, payload);
  // 8 values, one dot each; the groups read top to bottom in the payload's order.
  assert.equal(await page.locator('#box .mark-symbol.role-mark path').count(), 8);
  const labels = await page.locator('#box .role-axis-label text').allTextContents();
  const groups = labels.filter((t) => ['GRU', 'LSTM', 'RNN'].includes(t));
  assert.deepEqual(groups, ['GRU', 'LSTM', 'RNN']);
  // Per group a box and its median tick, both drawn as rects by vega-lite's boxplot.
  assert.equal(await page.locator('#box .mark-rect.role-mark path').count(), 2 * 3);
});

test('malformed, truncated and future payloads show an error box, as text, never HTML', async () => {
  const good = builders.lossPayload([{ name: 'train', loss: [3, 2, 1] }]);
  const cases = [
    ['not-json', '{ "kind": "loss", ', /not valid JSON/],
    [
      'wrong-kind',
      { ...good, kind: '<b id="injected">x</b>' },
      /expected "kind": "loss", got "<b id=\\"injected\\">x<\/b>"/,
    ],
    ['future', { ...good, version: 99 }, /newer LSTM Notebook \(schema version 99\)/],
    [
      'truncated',
      { ...good, series: [{ name: 'train', x: [1, 2, 3], y: [3, 2] }] },
      /series\[0\]\.y to have 3 numbers, got 2/,
    ],
    ['not-object', '[1, 2]', /expected a JSON object, got a list/],
  ];
  for (const [id, payload, message] of cases) {
    await render(id, MIME.loss, payload);
    const box = page.locator(`#${id} .lstm-error`);
    assert.equal(await box.count(), 1, `${id}: no error box`);
    assert.match(await box.textContent(), message);
  }
  assert.equal(await page.locator('#injected').count(), 0, 'payload text was interpreted as HTML');
  const truncatedGates = builders.gatesPayload(traceOf(new core.GRU({ inputSize: 2, hiddenSize: 3 }), 5, 1, 2));
  truncatedGates.panels[1].values.pop();
  await render('gates-truncated', MIME.gates, truncatedGates);
  assert.match(
    await page.locator('#gates-truncated .lstm-error').textContent(),
    /panels\[1\]\.values to have 15 numbers, got 14/,
  );
});

test("charts follow VS Code's theme: a switch to high contrast redraws axes and grid in its foreground", async () => {
  const norms = {
    kind: 'rnn',
    filled: true,
    layers: [{ layer: 0, direction: 'forward', h: Float64Array.from([1, 0.5, 0.25]), c: null }],
  };
  await render('themed', MIME.gradients, builders.gradientsPayload(norms));
  const colours = () =>
    page.evaluate(() => ({
      labels: [...document.querySelectorAll('#themed .role-axis-label text')].map((t) => t.getAttribute('fill')),
      grid: [...document.querySelectorAll('#themed .role-axis-grid line')].map((t) => t.getAttribute('stroke')),
    }));
  const light = await colours();
  assert.ok(light.labels.length > 0 && light.labels.every((c) => c === '#222222'), `light labels ${light.labels}`);
  // VS Code changes the body's class and its CSS variables together.
  await page.evaluate(() => {
    document.body.style.setProperty('--vscode-editor-foreground', '#ffff00');
    document.body.className = 'vscode-high-contrast';
  });
  await page.waitForFunction(
    () => document.querySelector('#themed .role-axis-label text')?.getAttribute('fill') === '#ffff00',
    null,
    { timeout: 10_000 },
  );
  const contrast = await colours();
  assert.ok(
    contrast.labels.every((c) => c === '#ffff00'),
    `high-contrast labels ${contrast.labels}`,
  );
  assert.ok(
    contrast.grid.length > 0 && contrast.grid.every((c) => c === '#ffff00'),
    `high-contrast grid ${contrast.grid}`,
  );
  await page.evaluate(() => {
    document.body.style.setProperty('--vscode-editor-foreground', '#222222');
    document.body.className = 'vscode-light';
  });
});

test('a disposed output finalizes its view', async () => {
  await render('to-dispose', MIME.loss, builders.lossPayload([{ name: 'a', loss: [1, 0.5] }]));
  assert.equal(await page.evaluate(() => window.liveViews().has('to-dispose')), true);
  await page.evaluate(() => window.dispose('to-dispose'));
  assert.equal(await page.evaluate(() => window.liveViews().has('to-dispose')), false);
});
