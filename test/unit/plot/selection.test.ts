/**
 * Selecting units by example (selectUnits, the brushed selection), finding the pattern
 * elsewhere (findPattern) and comparing traces (plot.compare). Expected units are worked out
 * here by brute force from the trace's tensors, or known by construction of a hand-made trace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LSTM } from '../../../core/lstm';
import { Rng } from '../../../core/random';
import { Tensor } from '../../../core/tensor';
import type { Trace } from '../../../core/recurrent/trace';
import { findPattern, plot, receiveSelection, selectUnits } from '../../../plot/index';
import { Selection } from '../../../plot/selection';
import { decodeF32 } from '../../../protocol/float32-codec';
import { randn } from '../../helpers/tensors';

function traced(): Trace {
  const model = new LSTM({ inputSize: 3, hiddenSize: 16, rng: new Rng(2) });
  return model.forward(randn([30, 2, 3], 3, 2, 'float32'), { trace: true }).trace!;
}

test('selectUnits: the units on across the span and off around it, as brute force over the trace finds them', () => {
  const trace = traced();
  const o = trace.layers[0].gates.o.act;
  const at = (t: number, u: number, b: number) => o.data[(t * 2 + b) * 16 + u];
  for (const [from, to, threshold, before, after, sample] of [
    [5, 9, 0.5, 0, 0, 0],
    [5, 9, 0.5, 2, 3, 1],
    [0, 3, 0.45, 4, 0, 0],
    [27, 30, 0.55, 1, 5, 1],
  ]) {
    const expected = [...Array(16).keys()].filter((u) => {
      const span = [...Array(to - from).keys()].map((k) => from + k);
      const around = [...Array(before).keys()]
        .map((k) => from - 1 - k)
        .concat([...Array(after).keys()].map((k) => to + k));
      return (
        span.every((t) => at(t, u, sample) >= threshold) &&
        around.filter((t) => t >= 0 && t < 30).every((t) => at(t, u, sample) < threshold)
      );
    });
    const sel = selectUnits(trace, { on: 'o', steps: [from, to], threshold, before, after, sample });
    assert.deepEqual(
      sel.units,
      expected,
      `steps [${from}, ${to}) ≥ ${threshold}, off ${before}/${after}, sample ${sample}`,
    );
    assert.ok(sel instanceof Selection);
  }
  // Some spans select something and the padding removes some of them: the checks above bite.
  const loose = selectUnits(trace, { on: 'o', steps: [5, 7], threshold: 0.5 }).units.length;
  const padded = selectUnits(trace, { on: 'o', steps: [5, 7], threshold: 0.5, before: 3, after: 3 }).units.length;
  assert.ok(loose > padded, `${loose} units without padding, ${padded} with`);
});

test('a Selection prints as the call that makes it again, and that call gives the same units', () => {
  const trace = traced();
  const sel = selectUnits(trace, { on: 'h', steps: [4, 8], threshold: 0.1, before: 1 });
  assert.equal(sel.code, "selectUnits(trace, { on: 'h', steps: [4, 8], threshold: 0.1, before: 1 })");
  assert.match(
    String(sel),
    /^\d+ units? .*: selectUnits\(trace, \{ on: 'h', steps: \[4, 8\], threshold: 0\.1, before: 1 \}\)$/,
  );
  const again = new Function('selectUnits', 'trace', `return ${sel.code}`)(selectUnits, trace) as Selection;
  assert.deepEqual(again.units, sel.units);
});

test('plot.selection() is the last valid brushed selection; bad messages are refused and change nothing', () => {
  assert.equal(receiveSelection({ type: 'selection', selection: null }), null);
  assert.equal(plot.selection(), null);
  const brushed = {
    on: 'h',
    layer: 0,
    direction: 'forward',
    sample: 0,
    steps: [3, 6],
    threshold: 0.5,
    before: 1,
    after: 1,
    units: [2, 9],
  };
  assert.equal(receiveSelection({ type: 'selection', selection: brushed }), null);
  assert.deepEqual(plot.selection()?.units, [2, 9]);
  const bad: Array<[unknown, RegExp]> = [
    [
      { type: 'selection', selection: { ...brushed, steps: [6, 3] } },
      /selection.steps: expected \[from, to\] with 0 ≤ from < to, got \[6,3\]/,
    ],
    [
      { type: 'selection', selection: { ...brushed, units: [9, 2] } },
      /selection.units: expected ascending unit indices, got \[9,2\]/,
    ],
    [{ type: 'selection', selection: { ...brushed, on: '<img>' } }, /selection.on: expected a gate key/],
    [
      { type: 'selection', selection: { ...brushed, threshold: 'x' } },
      /selection.threshold: expected a finite number, got "x"/,
    ],
    [{ type: 'select' }, /expected a message \{ type: 'selection', selection \}/],
  ];
  for (const [message, problem] of bad) assert.match(receiveSelection(message) ?? '', problem);
  assert.deepEqual(plot.selection()?.units, [2, 9], 'still the last good one');
  receiveSelection({ type: 'selection', selection: null });
});

/** A trace made by hand: h of 4 units over 12 steps, 2 samples; `on` lists (sample, step, unit) at 0.9, the rest 0.1. */
function handTrace(on: Array<[number, number, number]>): Trace {
  const h = Tensor.zeros([12, 2, 4], 'float64');
  h.data.fill(0.1);
  for (const [b, t, u] of on) h.data[(t * 2 + b) * 4 + u] = 0.9;
  return {
    kind: 'rnn',
    variant: 'tanh',
    steps: 12,
    batch: 2,
    hiddenSize: 4,
    gateLabels: {},
    layers: [{ layer: 0, direction: 'forward', gates: {}, c: null, h }],
  };
}

test('findPattern: maximal runs where the units are on together, ranked by the share on, then by length, with their text', () => {
  const on: Array<[number, number, number]> = [];
  for (const t of [3, 4, 5]) on.push([0, t, 1], [0, t, 3]); // the selection's own span
  for (const t of [8, 9]) on.push([1, t, 1], [1, t, 3]); // the same pattern, shorter, elsewhere
  on.push([0, 10, 1]); // half of it
  on.push([1, 2, 0]); // another unit: no match
  const trace = handTrace(on);
  const query = { units: [1, 3], steps: [3, 6] as [number, number], threshold: 0.5 };
  const found = findPattern(trace, query, { text: ['abcdefghijkl', 'ABCDEFGHIJKL'], context: 2 });
  assert.deepEqual(
    found.matches.map((m) => [m.sample, m.steps, m.score, m.query, m.context]),
    [
      [0, [3, 6], 1, true, '…bc⟦def⟧gh…'],
      [1, [8, 10], 1, false, '…GH⟦IJ⟧KL'],
    ],
  );
  const loose = findPattern(trace, query, { minUnits: 1 });
  assert.deepEqual(
    loose.matches.map((m) => [m.sample, m.steps, m.score]),
    [
      [0, [3, 6], 1],
      [1, [8, 10], 1],
      [0, [10, 11], 0.5],
    ],
  );
  assert.match(String(found), /^Where h units 1, 3 of layer 0 are all on \(≥ 0\.5\): 2 matches\nrank {2}sample/);
  assert.throws(
    () => findPattern(trace, query, { text: 'short' }),
    /text expected 2 strings \(one per sample\) of 12 characters/,
  );
  assert.throws(() => findPattern(trace, { units: [] }), /expected a selection/);
  assert.throws(() => findPattern(trace, query, { minUnits: 3 }), /minUnits/);
});

test('findPattern over { model, input } is findPattern over the model’s trace of it', () => {
  const model = new LSTM({ inputSize: 3, hiddenSize: 16, rng: new Rng(2) });
  const input = randn([30, 2, 3], 3, 2, 'float32');
  const trace = model.forward(input, { trace: true }).trace!;
  const query = { units: [0, 5], on: 'o', threshold: 0.5 };
  assert.deepEqual(
    findPattern({ model, input }, query, { minUnits: 1 }).matches,
    findPattern(trace, query, { minUnits: 1 }).matches,
  );
});

test('plot.compare: after − before per panel, on a symmetric range; 0 where an intervention changed nothing upstream', () => {
  const model = new LSTM({ inputSize: 3, hiddenSize: 8, rng: new Rng(4) });
  const x = randn([10, 1, 3], 5, 1, 'float32');
  const before = model.forward(x, { trace: true }).trace!;
  const fix = model.intervene({ on: 'h', units: [2] });
  const after = model.forward(x, { trace: true }).trace!;
  fix.remove();
  const chart = plot.compare(before, after);
  const p = chart.payload as import('../../../protocol/chart-payloads').GatesPayload;
  const panel = (name: string) => p.panels.find((q) => q.name === name)!;
  const values = (name: string) => {
    const v = panel(name).values;
    return typeof v === 'string' ? [...decodeF32(v)] : v;
  };
  // h unit 2 went from its value to 0: Δ = −before, at every step.
  const hBefore = before.layers[0].h.data;
  // (Small panels travel as JSON rounded to 5 decimals.)
  for (let t = 0; t < 10; t++) assert.ok(Math.abs((values('h')[t * 8 + 2] as number) + hBefore[t * 8 + 2]) < 1e-5);
  // Step 0 reads h_{−1} = 0 either way: nothing but h unit 2 changes there.
  for (const name of ['i', 'f', 'g', 'o', 'c'])
    assert.ok(
      values(name)
        .slice(0, 8)
        .every((v) => v === 0),
      `${name}: ${values(name).slice(0, 8).join(', ')}`,
    );
  assert.ok(
    values('c')
      .slice(8)
      .some((v) => v !== 0),
    'from step 1 on, the ablated h changes c',
  );
  const m = Math.max(...values('h').map((v) => Math.abs(v as number)));
  assert.ok(Math.abs(panel('h').range[1] - m) < 1e-5 && panel('h').range[0] === -panel('h').range[1]);
  assert.match(chart.summary, /^Change: after − before: largest \|Δ\| i [\d.e-]+, f .*, h [\d.]+$/);
  assert.throws(() => plot.compare(before, traced()), /expected two traces of the same model and input shape/);
});
