/**
 * Output: console streams in order and in volume, display handles update in place at most
 * ten times a second, and rich values reach the host as MIME bundles.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KernelSession } from '../../../extension/kernel/session';
import { newSession, run } from '../../helpers/kernel';

let session: KernelSession;
before(async () => {
  session = newSession();
  await session.whenReady();
});
after(() => session.dispose());

test('stdout and stderr keep their interleaved order', async () => {
  const r = await run(
    session,
    "console.log('a'); console.error('b'); console.log('c'); process.stdout.write('d\\n'); console.warn('e');",
  );
  const sequence = r.outputs.map((o) => (o.type === 'stream' ? `${o.name}:${o.text}` : o.type)).join('');
  assert.equal(sequence, 'stdout:a\nstderr:b\nstdout:c\nd\nstderr:e\n');
});

test('100,000 lines from a loop all arrive, in order, in a few hundred messages', async () => {
  const n = 100_000;
  const r = await run(session, `for (let i = 0; i < ${n}; i++) console.log('line ' + i);`);
  assert.equal(r.ok, true, r.error?.stack);
  const lines = r.stdout.split('\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines.length, n);
  for (let i = 0; i < n; i += 9973) assert.equal(lines[i], `line ${i}`);
  assert.equal(lines[n - 1], `line ${n - 1}`);
  const messages = r.outputs.filter((o) => o.type === 'stream').length;
  assert.ok(messages < 500, `${messages} stream messages for ${n} lines: output is not batched`);
});

test('output printed while a cell awaits arrives before the cell ends', async () => {
  const seen: string[] = [];
  const done = session.execute(
    "console.log('early'); await new Promise((r) => setTimeout(r, 400)); console.log('late');",
    'Cell stream',
    (o) => {
      if (o.type === 'stream') seen.push(o.text);
    },
  );
  await new Promise((r) => setTimeout(r, 250));
  assert.deepEqual(seen, ['early\n']);
  await done;
  assert.deepEqual(seen, ['early\n', 'late\n']);
});

test('display() shows a value and update() replaces it, throttled to 10/s, last value kept', async () => {
  const r = await run(
    session,
    [
      "const handle = display('v0');",
      'const until = Date.now() + 1000;',
      'let i = 0;',
      'while (Date.now() < until) handle.update(`v${++i}`);',
      'i',
    ].join('\n'),
  );
  const displays = r.outputs.filter((o) => o.type === 'display');
  assert.equal(displays[0].type === 'display' && displays[0].update, false);
  assert.equal(displays[0].type === 'display' && displays[0].bundle['text/plain'], "'v0'");
  const updates = displays.slice(1);
  assert.ok(
    updates.every(
      (u) => u.type === 'display' && u.update && u.displayId === (displays[0] as { displayId: string }).displayId,
    ),
  );
  // One second of updates: at most ~10 sent plus the final flush.
  assert.ok(updates.length >= 5 && updates.length <= 12, `${updates.length} updates sent in 1 s`);
  const last = updates.at(-1)!;
  assert.equal(last.type === 'display' && last.bundle['text/plain'], `'v${r.value}'`);
});

/** The MIME bundle of a cell's value. */
function resultBundle(r: { outputs: { type: string }[] }): Record<string, unknown> {
  const result = r.outputs.find((o) => o.type === 'result') as
    { type: 'result'; bundle: Record<string, unknown> } | undefined;
  assert.ok(result, 'the cell has a value');
  return result.bundle;
}

test('a model as the value of a cell shows its summary: an HTML table, and the same as aligned text', async () => {
  const r = await run(
    session,
    "import { LSTM, Linear } from 'lstm-notebook';\n[new LSTM({ inputSize: 3, hiddenSize: 5, numLayers: 2 }), new Linear(5, 2)]",
  );
  assert.match(resultBundle(r)['text/html'] as string, /^<style>.*<table class="lstm-summary">/);
  // LSTM(3 → 5, 2 layers): 4·5·(3 + 5) + 2·4·5 = 200 in layer 0, 4·5·(5 + 5) + 40 = 240 in layer 1; head 5·2 + 2.
  assert.match(r.value!, /^LSTM\(3 → 5, 2 layers\) · float32/m);
  assert.match(r.value!, /^total \(2 modules\) +452$/m);
});

test('a large 2-D tensor shows a heatmap beside its printed values', async () => {
  const r = await run(session, "import { Tensor, seed } from 'lstm-notebook';\nseed(2);\nTensor.randn([30, 20])");
  const bundle = resultBundle(r);
  assert.deepEqual(Object.keys(bundle).sort(), [
    'application/vnd.lstm-notebook.gates+json',
    'application/vnd.vegalite.v5+json',
    'image/svg+xml',
    'text/plain',
  ]);
  assert.deepEqual((bundle['application/vnd.lstm-notebook.gates+json'] as { axes: unknown }).axes, {
    x: 'column',
    y: 'row',
  });
  assert.match(r.value!, /^Tensor \[30, 20\] float32\ntensor\(\[\[/);
});

test('a data set as the value of a cell shows its first rows: an HTML table and aligned text', async () => {
  const r = await run(
    session,
    "import { tasks } from 'lstm-notebook';\ntasks.adding({ length: 10, count: 20, seed: 1 })",
  );
  assert.match(resultBundle(r)['text/html'] as string, /<table class="lstm-table"><caption>SequenceDataset/);
  assert.match(r.value!, /^SequenceDataset ".*" · 20 sequences × 10 steps × 2 features · target last, 1 value$/m);
  assert.match(r.value!, /^… 15 more$/m);
});

test('a tensor shows its shape and dtype, then its values as PyTorch prints them; console.log prints the same', async () => {
  const r = await run(
    session,
    "import { Tensor } from 'lstm-notebook';\nconst t = Tensor.from([[1, -2.5], [0.125, 3]]);\nconsole.log(t);\nt",
  );
  // Written by hand from PyTorch: print(torch.tensor([[1, -2.5], [0.125, 3]])).
  const expected = 'Tensor [2, 2] float32\ntensor([[ 1.0000, -2.5000],\n        [ 0.1250,  3.0000]])';
  assert.equal(r.value, expected);
  assert.equal(r.stdout, `${expected}\n`);
});

test('a promise rejected after its cell ended is reported at the top of the next cell, and the kernel lives on', async () => {
  // The cell ends at once (no value to render); its rejection comes 100 ms later, while no cell
  // runs, so the worker keeps it for the next cell (control.test.ts has a timer's throw).
  await run(session, "setTimeout(() => { Promise.reject(new Error('late failure')) }, 100);");
  await new Promise((r) => setTimeout(r, 400));
  const r = await run(session, '2 + 2');
  assert.match(r.stderr, /^While no cell was running: Unhandled promise rejection: Error: late failure\n/);
  assert.equal(r.value, '4');
});

test('charts reach the host with their custom MIME type, their vega-lite spec, an SVG and text; a trace as the last value shows its gates', async () => {
  const r = await run(
    session,
    [
      "import { seed, LSTM, Tensor, plot } from 'lstm-notebook';",
      'seed(1);',
      'const traced = new LSTM({ inputSize: 2, hiddenSize: 3 }).forward(Tensor.randn([5, 1, 2]), { trace: true }).trace!;',
      'display(plot.states(traced, { units: [0, 1] }));',
      'traced',
    ].join('\n'),
  );
  assert.equal(r.ok, true, r.error?.stack);
  const shown = r.outputs.filter((o) => o.type === 'display' || o.type === 'result');
  const mimes = shown.map((o) => (o.type === 'display' || o.type === 'result' ? Object.keys(o.bundle) : []));
  assert.deepEqual(mimes, [
    ['application/vnd.lstm-notebook.states+json', 'application/vnd.vegalite.v5+json', 'image/svg+xml', 'text/plain'],
    ['application/vnd.lstm-notebook.gates+json', 'application/vnd.vegalite.v5+json', 'image/svg+xml', 'text/plain'],
  ]);
});

test('train(…, { plot: true }) draws a live loss curve: updates without SVG but with the vega-lite spec while training, the last one with both', async () => {
  const r = await run(
    session,
    [
      "import { seed, LSTM, Linear, Adam, train, tasks } from 'lstm-notebook';",
      'seed(5);',
      // Ten epochs of 400 steps: long enough (about a second) for live updates, which go out at
      // most every 100 ms, between the first display and the last (one epoch took under 100 ms).
      'const live = await train([new LSTM({ inputSize: 2, hiddenSize: 8 }), new Linear(8, 1)], tasks.adding({ length: 20, count: 3200 }), { epochs: 10, batchSize: 8, optimizer: new Adam(1e-2), plot: true });',
      'live.steps.length',
    ].join('\n'),
  );
  assert.equal(r.ok, true, r.error?.stack);
  assert.equal(r.value, '4000');
  const displays = r.outputs.filter((o) => o.type === 'display');
  assert.ok(displays.length >= 3, `${displays.length} display messages`);
  const last = displays.at(-1)!;
  const middle = displays.slice(1, -1);
  assert.ok(
    middle.every((d) => d.type === 'display' && d.update && !('image/svg+xml' in d.bundle)),
    'a live update carried an SVG',
  );
  // A Jupyter client draws a live chart from its vega-lite spec: it has no renderer of ours.
  assert.ok(
    displays.every((d) => d.type === 'display' && 'application/vnd.vegalite.v5+json' in d.bundle),
    'a live update came without its vega-lite spec',
  );
  assert.ok(last.type === 'display' && last.update && 'image/svg+xml' in last.bundle, 'the final update has no SVG');
  const payload =
    last.type === 'display'
      ? (last.bundle['application/vnd.lstm-notebook.loss+json'] as { series: Array<{ y: number[] }> })
      : null;
  assert.equal(payload?.series[0].y.length, 4000);
});

test('sweep() shows its ranked table from the start and its box plot, both updated in place; the last update carries the SVG', async () => {
  const r = await run(
    session,
    [
      "import { LSTM, GRU, Linear, Adam, tasks, sweep } from 'lstm-notebook';",
      'const [tr, te] = tasks.adding({ length: 8, count: 120, seed: 1 }).split(0.75);',
      'const race = await sweep({',
      '  variants: {',
      '    lstm: (rng) => [new LSTM({ inputSize: 2, hiddenSize: 4, rng }), new Linear(4, 1, { rng })],',
      '    gru: (rng) => [new GRU({ inputSize: 2, hiddenSize: 4, rng }), new Linear(4, 1, { rng })],',
      '  },',
      '  seeds: 2, task: { train: tr, test: te }, steps: 5, optimizer: () => new Adam(1e-2),',
      '});',
      'race',
    ].join('\n'),
  );
  assert.equal(r.ok, true, r.error?.stack);
  const displays = r.outputs.filter((o) => o.type === 'display');
  const [table, box] = [...new Set(displays.map((d) => (d.type === 'display' ? d.displayId : '')))];
  const of = (id: string) => displays.filter((d) => d.type === 'display' && d.displayId === id);
  const bundle = (o: (typeof displays)[number]) => (o.type === 'display' ? o.bundle : {});
  // The table: shown before any run ended, its last update with all four runs.
  assert.match(bundle(of(table)[0])['text/plain'] as string, /· 0 of 4 runs done/);
  const lastTable = bundle(of(table).at(-1)!);
  assert.match(
    lastTable['text/html'] as string,
    /<table class="lstm-table"><caption>Sweep: 2 variants × 2 seeds × 5 steps · 4 of 4 runs done/,
  );
  assert.match(lastTable['text/plain'] as string, /^ +1 {2}(lstm|gru) +2\/2 /m);
  // The box plot: its custom MIME type, the last update with its SVG and both variants' two runs.
  const lastBox = bundle(of(box).at(-1)!);
  assert.ok('image/svg+xml' in lastBox, 'the box plot was saved without its SVG');
  const payload = lastBox['application/vnd.lstm-notebook.box+json'] as { groups: Array<{ values: number[] }> };
  assert.deepEqual(
    payload.groups.map((g) => g.values.length),
    [2, 2],
  );
  // The value of the cell is the results, shown as the same table.
  assert.equal(resultBundle(r)['text/plain'], lastTable['text/plain']);
});
