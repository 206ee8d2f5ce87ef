// Selecting units by brushing a gates chart, in headless Chromium: a drag across steps of a
// panel outlines the units on across the span (and off around it), lists them, counts them per
// step beneath, and posts the selection to the kernel. The expected units and counts are worked
// out here straight from the trace's tensors, not from the payload or the renderer's rule.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT } from '../../scripts/code-server/paths.mjs';
import { imageMarks, openRendererPage, renderOutput } from './renderer-page.mjs';

const core = await import(join(ROOT, 'out', 'core', 'index.js'));
const builders = await import(join(ROOT, 'out', 'plot', 'builders.js'));
const { textPayload } = await import(join(ROOT, 'out', 'plot', 'text-view.js'));
const { MIME } = await import(join(ROOT, 'out', 'protocol', 'chart-payloads.js'));

let harness;
let page;
before(async () => {
  harness = await openRendererPage();
  page = harness.page;
});
after(() => harness?.close());

const T = 40;
const H = 12;
const SAMPLE = 1;
core.seed(5);
const model = new core.LSTM({ inputSize: 3, hiddenSize: H });
const trace = model.forward(core.Tensor.randn([T, 2, 3]), { trace: true }).trace;
const h = (t, u) => trace.layers[0].h.get(t, SAMPLE, u);
const THRESHOLD = 0.1;

/** The units with h ≥ threshold at every step of [from, to) and below it `before` steps before and `after` steps after. */
function expectedUnits(from, to, threshold, padBefore, padAfter) {
  const units = [];
  for (let u = 0; u < H; u++) {
    let on = true;
    for (let t = from; t < to; t++) on &&= h(t, u) >= threshold;
    for (let t = Math.max(0, from - padBefore); t < from; t++) on &&= h(t, u) < threshold;
    for (let t = to; t < Math.min(T, to + padAfter); t++) on &&= h(t, u) < threshold;
    if (on) units.push(u);
  }
  return units;
}

/** The position on the page of step t (its middle) in panel k, halfway down; scrolls the panel into view first. */
async function stepPoint(id, k, t) {
  const { found, origin } = await imageMarks(page, id);
  const image = found.find((i) => i.panel === k);
  const canvas = page.locator(`#${id} canvas`);
  await canvas.evaluate(
    (c, top) => window.scrollTo(0, c.getBoundingClientRect().top + window.scrollY + top - 80),
    origin[1] + image.y,
  );
  const box = await canvas.boundingBox();
  return { x: box.x + origin[0] + image.x + ((t + 0.5) / T) * image.w, y: box.y + origin[1] + image.y + image.h / 2 };
}

const brushData = (id) =>
  page.evaluate((i) => {
    const { view } = window.liveViews().get(i);
    return { units: view.data('lstm_units'), counts: view.data('lstm_counts'), span: view.data('lstm_span') };
  }, id);

test('a drag across steps of the h panel selects, outlines, lists and counts the units on there, and posts them', async () => {
  const payload = builders.gatesPayload(trace, { sample: SAMPLE });
  const hPanel = payload.panels.findIndex((p) => p.name === 'h');
  // A span where some units, not all, are on (≥ THRESHOLD, typed in before the drag).
  let span = null;
  for (let from = 5; from < T - 5 && !span; from++) {
    const units = expectedUnits(from, from + 4, THRESHOLD, 0, 0);
    const padded = expectedUnits(from, from + 4, THRESHOLD, 2, 2);
    if (units.length >= 2 && units.length < H && padded.length < units.length) span = [from, from + 4];
  }
  assert.ok(span, 'no span with a proper subset of units in this trace');
  await render('brush', MIME.gates, payload);
  await page.locator('#brush input[name=threshold]').fill(String(THRESHOLD));
  await page.locator('#brush input[name=threshold]').dispatchEvent('change');
  const start = await stepPoint('brush', hPanel, span[0]);
  const end = await stepPoint('brush', hPanel, span[1] - 1);
  await page.evaluate(() => (window.posted.length = 0));
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move((start.x + end.x) / 2, start.y, { steps: 3 });
  await page.mouse.move(end.x, end.y, { steps: 3 });
  await page.mouse.up();

  const units = expectedUnits(span[0], span[1], THRESHOLD, 0, 0);
  const drawn = await brushData('brush');
  assert.deepEqual(
    drawn.span.map((s) => [s.panel, s.from, s.to]),
    [[hPanel, span[0], span[1]]],
  );
  assert.deepEqual(
    drawn.units.map((r) => r.u),
    units,
    'the outlined units',
  );
  const counts = Array.from({ length: T }, (_, t) => units.filter((u) => h(t, u) >= THRESHOLD).length);
  assert.deepEqual(
    drawn.counts.map((r) => r.n),
    counts,
    'the count track',
  );
  assert.equal(
    counts.slice(span[0], span[1]).every((n) => n === units.length),
    true,
  );
  const listed = await page.locator('#brush .lstm-selection-units').textContent();
  assert.equal(
    listed,
    `hidden state h_t, steps ${span[0]}–${span[1] - 1}: ${units.length} units — ${units.join(', ')}`,
  );
  const code = await page.locator('#brush .lstm-selection-code').textContent();
  assert.equal(
    code,
    `selectUnits(trace, { on: 'h', sample: 1, steps: [${span[0]}, ${span[1]}], threshold: ${THRESHOLD} })`,
  );
  const posted = await page.evaluate(() => window.posted);
  assert.deepEqual(posted.at(-1), {
    type: 'selection',
    selection: {
      on: 'h',
      layer: 0,
      direction: 'forward',
      sample: 1,
      steps: span,
      threshold: THRESHOLD,
      before: 0,
      after: 0,
      units,
    },
  });

  // Off-padding of 2 steps each side: fewer units, and the posted selection says so.
  for (const name of ['before', 'after']) {
    await page.locator(`#brush input[name=${name}]`).fill('2');
    await page.locator(`#brush input[name=${name}]`).dispatchEvent('change');
  }
  const padded = expectedUnits(span[0], span[1], THRESHOLD, 2, 2);
  assert.deepEqual(
    (await brushData('brush')).units.map((r) => r.u),
    padded,
  );
  assert.deepEqual((await page.evaluate(() => window.posted)).at(-1).selection.units, padded);

  // Clear: nothing outlined, and the kernel is told.
  await page.locator('#brush button', { hasText: 'Clear' }).click();
  assert.deepEqual((await brushData('brush')).units, []);
  assert.deepEqual((await page.evaluate(() => window.posted)).at(-1), { type: 'selection', selection: null });
});

test('a brush stays through a live update of the same chart (its units worked out again on the new values, and sent) and through a theme switch', async () => {
  const payload = builders.gatesPayload(trace, { sample: SAMPLE, gates: ['h'] });
  await render('kept', MIME.gates, payload);
  await page.locator('#kept input[name=threshold]').fill(String(THRESHOLD));
  await page.locator('#kept input[name=threshold]').dispatchEvent('change');
  const start = await stepPoint('kept', 0, 10);
  const end = await stepPoint('kept', 0, 13);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(end.x, end.y, { steps: 4 });
  await page.mouse.up();
  assert.deepEqual(
    (await brushData('kept')).units.map((r) => r.u),
    expectedUnits(10, 14, THRESHOLD, 0, 0),
  );

  // The same chart, later in training: other values under the same span.
  core.seed(6);
  const later = new core.LSTM({ inputSize: 3, hiddenSize: H }).forward(core.Tensor.randn([T, 2, 3]), {
    trace: true,
  }).trace;
  const laterUnits = [...Array(H).keys()].filter((u) =>
    [10, 11, 12, 13].every((t) => later.layers[0].h.get(t, SAMPLE, u) >= THRESHOLD),
  );
  await page.evaluate(() => (window.posted.length = 0));
  await render('kept', MIME.gates, builders.gatesPayload(later, { sample: SAMPLE, gates: ['h'] }));
  await page.waitForFunction(() => window.posted.length > 0, null, { timeout: 10_000 });
  const drawn = await brushData('kept');
  assert.deepEqual(
    drawn.span.map((r) => [r.from, r.to]),
    [[10, 14]],
  );
  assert.deepEqual(
    drawn.units.map((r) => r.u),
    laterUnits,
    'the units on under the span in the new values',
  );
  assert.deepEqual((await page.evaluate(() => window.posted)).at(-1).selection.units, laterUnits);
  assert.equal(await page.locator('#kept input[name=threshold]').inputValue(), String(THRESHOLD));

  // A theme switch redraws the chart: the brush is drawn again, and nothing new is sent.
  await page.evaluate(() => {
    window.posted.length = 0;
    window.viewBefore = window.liveViews().get('kept').view;
    document.body.className = 'vscode-dark';
  });
  await page.waitForFunction(
    () => {
      const view = window.liveViews().get('kept')?.view;
      return view && view !== window.viewBefore && view.data('lstm_span').length === 1;
    },
    null,
    { timeout: 10_000 },
  );
  assert.deepEqual(
    (await brushData('kept')).units.map((r) => r.u),
    laterUnits,
  );
  assert.equal(await page.evaluate(() => window.posted.length), 0);
  await page.evaluate(() => (document.body.className = 'vscode-light'));
});

test('selecting characters in the text view shows the rows of the units on across them, and posts the selection', async () => {
  const text = Array.from({ length: T }, (_, t) => 'abcdefghij'[t % 10]).join('');
  const payload = textPayload(trace, { text, sample: SAMPLE, top: 3 });
  let span = null;
  for (let from = 3; from < T - 3 && !span; from++)
    if (expectedUnits(from, from + 3, THRESHOLD, 1, 1).length >= 1) span = [from, from + 3];
  assert.ok(span, 'no span with units on in this trace');
  await render('text', MIME.text, payload);
  assert.deepEqual(
    await page.locator('#text .lstm-text-row').evaluateAll((rows) => rows.map((r) => Number(r.dataset.unit))),
    payload.shown,
  );
  for (const [name, value] of [
    ['threshold', THRESHOLD],
    ['before', 1],
    ['after', 1],
  ]) {
    await page.locator(`#text input[name=${name}]`).fill(String(value));
    await page.locator(`#text input[name=${name}]`).dispatchEvent('change');
  }
  await page.evaluate(() => (window.posted.length = 0));
  // Select characters span[0] … span[1] − 1 of the first row, as a drag would, then release the mouse.
  await page.evaluate(
    ([from, last]) => {
      const row = document.querySelector('#text .lstm-text-row');
      const range = document.createRange();
      range.setStart(row.querySelector(`[data-t="${from}"]`).firstChild, 0);
      range.setEnd(row.querySelector(`[data-t="${last}"]`).firstChild, 1);
      const selection = document.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      row.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
    },
    [span[0], span[1] - 1],
  );
  const units = expectedUnits(span[0], span[1], THRESHOLD, 1, 1);
  assert.deepEqual(
    await page.locator('#text .lstm-text-row').evaluateAll((rows) => rows.map((r) => Number(r.dataset.unit))),
    units,
    'the rows are the selected units',
  );
  assert.equal(
    await page.locator('#text .lstm-text-row').first().locator('.lstm-text-span').count(),
    span[1] - span[0],
  );
  assert.deepEqual((await page.evaluate(() => window.posted)).at(-1), {
    type: 'selection',
    selection: {
      on: 'h',
      layer: 0,
      direction: 'forward',
      sample: SAMPLE,
      steps: span,
      threshold: THRESHOLD,
      before: 1,
      after: 1,
      units,
    },
  });
});

test('a tensor heatmap (no trace behind it) has no brushing', async () => {
  const tensor = new core.Tensor(
    Float32Array.from({ length: 30 * 20 }, (_, k) => Math.cos(k)),
    [30, 20],
  );
  await render('plain', MIME.gates, builders.tensorHeatmapPayload(tensor));
  assert.equal(await page.locator('#plain .lstm-brush').count(), 0);
});

const render = (id, mime, payload) => renderOutput(page, id, mime, payload);
