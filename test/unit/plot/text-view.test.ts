/**
 * plot.text: the characters a model read, a row per unit coloured by its value. The default rows
 * are the most varied units, worked out here from the trace; the HTML fallback has one coloured
 * span per character and row, escaped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LSTM } from '../../../core/lstm';
import { Rng } from '../../../core/random';
import { plot } from '../../../plot/index';
import type { TextPayload } from '../../../protocol/chart-payloads';
import { randn } from '../../helpers/tensors';

const TEXT = 'To be, <or> not & "to" be:\nthat is';
const model = new LSTM({ inputSize: 3, hiddenSize: 10, rng: new Rng(3) });
const trace = model.forward(randn([TEXT.length, 2, 3], 4, 2, 'float32'), { trace: true }).trace!;

test('the default rows are the units whose values vary most over the text; values are every unit at every step', async () => {
  const chart = plot.text(trace, { text: TEXT, on: 'c', sample: 1, top: 3 });
  const p = chart.payload as TextPayload;
  const c = trace.layers[0].c!;
  const T = TEXT.length;
  const variance = [...Array(10).keys()].map((u) => {
    const xs = [...Array(T).keys()].map((t) => c.get(t, 1, u));
    const mean = xs.reduce((a, b) => a + b, 0) / T;
    return xs.reduce((a, x) => a + (x - mean) ** 2, 0) / T;
  });
  const expected = [...variance.keys()].sort((a, b) => variance[b] - variance[a]).slice(0, 3);
  assert.deepEqual(p.shown, expected);
  assert.equal((p.values as number[]).length, T * 10);
  assert.ok(Math.abs((p.values as number[])[5 * 10 + 7] - c.get(5, 1, 7)) < 1e-5);
  assert.deepEqual(
    [p.name, p.label, p.range, p.source],
    ['c', 'cell state c_t', [-1, 1], { layer: 0, direction: 'forward', sample: 1 }],
  );

  const bundle = await chart.toBundle();
  const html = bundle['text/html'] as string;
  assert.equal(bundle['image/svg+xml'], undefined, 'a text view is HTML, not SVG');
  assert.equal(html.match(/<span data-t=/g)!.length, 3 * T, 'a span per character and row');
  for (const escaped of ['&lt;', '&gt;', '&amp;', '&quot;']) assert.match(html, new RegExp(`>${escaped}</span>`));
  assert.doesNotMatch(html, /<or>|>"<\/span>/);
  assert.match(html, /<span data-t="5" title="5: -?\d\.\d{3}" style="background:#[0-9a-f]{6}(;color:#fff)?">,<\/span>/);
  assert.match(html, /<div class="lstm-text-unit">unit \d+<\/div>/);
});

test('plot.text takes given rows, and refuses a text of the wrong length or an unknown quantity', () => {
  const p = plot.text(trace, { text: [...TEXT], units: [4, 1] }).payload as TextPayload;
  assert.deepEqual(p.shown, [4, 1]);
  assert.throws(
    () => plot.text(trace, { text: 'short' }),
    new RegExp(`text expected the ${TEXT.length} characters the trace read`),
  );
  assert.throws(
    () => plot.text(trace, { text: TEXT, on: 'x' }),
    /on expected one of "i", "f", "g", "o", "c", "h", got "x"/,
  );
  assert.throws(() => plot.text(trace, { text: TEXT, units: [10] }), /units/);
});

test('a model of fewer than 6 units shows them all by default, and named units need no top', () => {
  const small = new LSTM({ inputSize: 3, hiddenSize: 4, rng: new Rng(5) });
  const smallTrace = small.forward(randn([5, 1, 3], 6, 1, 'float32'), { trace: true }).trace!;
  assert.equal((plot.text(smallTrace, { text: 'abcde' }).payload as TextPayload).shown.length, 4);
  assert.deepEqual((plot.text(smallTrace, { text: 'abcde', units: [3, 1] }).payload as TextPayload).shown, [3, 1]);
  assert.throws(() => plot.text(smallTrace, { text: 'abcde', top: 5 }), /top/);
});
