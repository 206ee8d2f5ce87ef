/**
 * Gate telemetry while training: train(…, { plot: { gates: probe, every } }) in a cell keeps a
 * loss curve, a gate heatmap and a saturation chart of the probe batch updating in place, ends
 * on the probe's gates after the last step, never changes what training computes, and refuses
 * bad options before it draws or trains anything.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CellOutput, KernelSession } from '../../../extension/kernel/session';
import { newSession, run } from '../../helpers/kernel';

const GATES = 'application/vnd.lstm-notebook.gates+json';
const SATURATION = 'application/vnd.lstm-notebook.saturation+json';
const LOSS = 'application/vnd.lstm-notebook.loss+json';

let session: KernelSession;
before(async () => {
  session = newSession();
  await session.whenReady();
  const setup = await run(
    session,
    [
      "import { seed, LSTM, RNN, Linear, Adam, Tensor, train, tasks, plot, parametersOf } from 'lstm-notebook';",
      'seed(3);',
      // 176 sequences in batches of 8: 22 steps, so the last step (22) is not a multiple of every (5).
      'const data = tasks.adding({ length: 12, count: 176 });',
      'const probe = data.batch(0, 3).inputs; // [12, 3, 2]',
    ].join('\n'),
  );
  assert.equal(setup.ok, true, setup.error?.stack);
});
after(() => session.dispose());

type Display = Extract<CellOutput, { type: 'display' }>;

/** Every display message of a run, grouped by display id in the order the displays appeared. */
function byDisplay(outputs: CellOutput[]): Display[][] {
  const groups = new Map<string, Display[]>();
  for (const o of outputs) {
    if (o.type !== 'display') continue;
    if (!groups.has(o.displayId)) groups.set(o.displayId, []);
    groups.get(o.displayId)!.push(o);
  }
  return [...groups.values()];
}

const withoutTitle = (payload: unknown) => ({ ...(payload as object), title: null });

test('plot: { gates: probe, every: 5 } keeps a loss curve, a gate heatmap and a saturation chart of the probe updating in place, ending on the gates after the last step', async () => {
  const r = await run(
    session,
    [
      'seed(4);',
      'const model = new LSTM({ inputSize: 2, hiddenSize: 6 });',
      'const history = await train([model, new Linear(6, 1)], data, { epochs: 1, batchSize: 8, optimizer: new Adam(1e-2), plot: { gates: probe, every: 5 } });',
      // Built independently, after training, from the model as it ended.
      'display(plot.gates(model.traceOf(probe)));',
      'display(plot.saturation(model.traceOf(probe)));',
      'history.steps.length',
    ].join('\n'),
  );
  assert.equal(r.ok, true, r.error?.stack);
  assert.equal(r.value, '22');
  const [loss, gates, saturation, gatesAfter, saturationAfter] = byDisplay(r.outputs);
  assert.ok(saturationAfter, 'expected five displays: loss, gates, saturation and the two built after training');
  assert.deepEqual(
    [loss, gates, saturation].map((d) => Object.keys(d[0].bundle)[0]),
    [LOSS, GATES, SATURATION],
  );
  for (const d of [loss, gates, saturation]) {
    assert.equal(d[0].update, false);
    assert.ok(!('image/svg+xml' in d[0].bundle), 'a live chart was first sent with an SVG, which its updates replace');
    assert.ok(
      d.slice(1).every((u) => u.update),
      'later messages of a live display are updates in place',
    );
  }
  const lastLoss = loss.at(-1)!.bundle[LOSS] as { series: Array<{ x: number[] }> };
  assert.equal(lastLoss.series[0].x.length, 22);

  const titles = gates.map((d) => (d.bundle[GATES] as { title: string }).title);
  assert.equal(titles[0], 'Gates of the probe batch before training — layer 0, sample 0');
  assert.equal(titles.at(-1), 'Gates of the probe batch after step 22 — layer 0, sample 0');
  for (const title of titles.slice(1, -1)) {
    const step = Number(/after step (\d+)/.exec(title)?.[1]);
    assert.ok(step % 5 === 0 || step === 22, `a probe traced at step ${step}, not every 5th step nor the last`);
  }
  const live = gates.at(-1)!.bundle[GATES] as { steps: number; units: number; panels: Array<{ name: string }> };
  assert.equal(live.steps, 12);
  assert.equal(live.units, 6);
  assert.deepEqual(
    live.panels.map((p) => p.name),
    ['i', 'f', 'g', 'o', 'c', 'h'],
  );
  assert.deepEqual(withoutTitle(live), withoutTitle(gatesAfter.at(-1)!.bundle[GATES]));
  assert.notDeepEqual(
    withoutTitle(gates[0].bundle[GATES]),
    withoutTitle(live),
    'the heatmap before training equals the one after it: it did not update',
  );
  const liveSaturation = saturation.at(-1)!.bundle[SATURATION] as { title: string };
  assert.match(liveSaturation.title, /^Gate saturation of the probe batch after step 22 /);
  assert.deepEqual(withoutTitle(liveSaturation), withoutTitle(saturationAfter.at(-1)!.bundle[SATURATION]));
  // The saved notebook shows the last state: the final update of each live chart carries its SVG.
  for (const d of [loss, gates, saturation]) assert.ok('image/svg+xml' in d.at(-1)!.bundle);
});

test('training with gate telemetry computes exactly what it computes without: the same history and weights, bit for bit', async () => {
  // Two layers with dropout draw random numbers while training: a probe traced in training mode
  // (or drawing from the generator in any way) would change the masks and the shuffles after it.
  const r = await run(
    session,
    [
      'const fresh = () => { seed(9); const m = new LSTM({ inputSize: 2, hiddenSize: 5, numLayers: 2, dropout: 0.3 }); return [m, new Linear(5, 1)] as const; };',
      'const watched = fresh();',
      'const a = await train(watched, data, { epochs: 2, batchSize: 16, optimizer: new Adam(1e-2), plot: { gates: probe, every: 1, layer: 1 } });',
      'const plain = fresh();',
      'const b = await train(plain, data, { epochs: 2, batchSize: 16, optimizer: new Adam(1e-2) });',
      'const wa = parametersOf(watched).map((p) => Array.from(p.data));',
      'const wb = parametersOf(plain).map((p) => Array.from(p.data));',
      "[a.steps.length, JSON.stringify(a) === JSON.stringify(b), wa.every((w, i) => w.every((v, j) => Object.is(v, wb[i][j])))].join(' ')",
    ].join('\n'),
  );
  assert.equal(r.ok, true, r.error?.stack);
  assert.equal(r.value, "'22 true true'");
  assert.equal(byDisplay(r.outputs).length, 3, 'the watched run shows its loss, gates and saturation');
});

test('plot: { gates, loss: false } draws no loss curve; a vanilla RNN, which has no sigmoid gates, gets no saturation chart', async () => {
  const r = await run(
    session,
    'await train(new RNN({ inputSize: 2, hiddenSize: 1 }), data, { epochs: 1, batchSize: 88, plot: { gates: probe, loss: false } }); 0',
  );
  assert.equal(r.ok, true, r.error?.stack);
  const shown = byDisplay(r.outputs);
  assert.deepEqual(
    shown.map((d) => Object.keys(d[0].bundle)[0]),
    [GATES],
  );
  assert.match((shown[0].at(-1)!.bundle[GATES] as { title: string }).title, /after step 2 /);
});

test('live charts of a training that fails after they are shown still end the cell with their SVG', async () => {
  const r = await run(
    session,
    "await train([new LSTM({ inputSize: 2, hiddenSize: 6 }), new Linear(6, 1)], data, { epochs: 1, plot: { gates: probe }, onStep: () => { throw new Error('stopped by the test'); } });",
  );
  assert.equal(r.error?.message, 'stopped by the test');
  const shown = byDisplay(r.outputs);
  assert.equal(shown.length, 3);
  for (const d of shown) {
    assert.ok(!('image/svg+xml' in d[0].bundle));
    assert.ok('image/svg+xml' in d.at(-1)!.bundle, `${Object.keys(d[0].bundle)[0]} ended without an SVG`);
  }
});

test("the core's own refusals come before any chart: a batchFirst model, a bad batchSize", async () => {
  for (const [code, message] of [
    [
      'await train(new LSTM({ inputSize: 2, hiddenSize: 6, batchFirst: true }), data, { plot: { gates: probe } });',
      'train: train feeds time-major batches; build the model without batchFirst',
    ],
    [
      'await train([new LSTM({ inputSize: 2, hiddenSize: 6 }), new Linear(6, 1)], data, { batchSize: 0, plot: true });',
      'train: batchSize: expected an integer ≥ 1, got 0',
    ],
  ]) {
    const r = await run(session, code);
    assert.equal(r.error?.message, message);
    assert.equal(r.outputs.filter((o) => o.type === 'display').length, 0, `a chart was shown: ${code}`);
  }
});

const refusals: Array<[string, string, RegExp]> = [
  [
    'plot neither a boolean nor an object',
    "plot: 'yes'",
    /^train: option plot expected true, false or \{ gates: probe, every, layer, sample, loss \}, got "yes"$/,
  ],
  [
    'an unknown key',
    'plot: { gates: probe, evry: 5 }',
    /^train: plot: unknown option "evry"; expected one of gates, every, layer, sample, loss$/,
  ],
  ['every 0', 'plot: { gates: probe, every: 0 }', /^train: plot\.every: expected an integer ≥ 1, got 0$/],
  [
    'a fractional every',
    'plot: { gates: probe, every: 2.5 }',
    /^train: plot\.every: expected an integer ≥ 1, got 2\.5$/,
  ],
  [
    'no probe',
    'plot: { every: 5 }',
    /^train: plot\.gates: expected the probe batch, a Tensor of shape \[T, B, I=2\], got undefined$/,
  ],
  [
    'a probe whose last axis is not the input size',
    'plot: { gates: Tensor.zeros([12, 3, 3]) }',
    /^train: plot\.gates: expected the probe batch of shape \[T, B, I=2\], got \[12, 3, 3\]$/,
  ],
  [
    'a probe of another dtype',
    "plot: { gates: probe.clone('float64') }",
    /^train: plot\.gates: the model is float32 but the probe is float64; convert it with probe\.clone\('float32'\)$/,
  ],
  [
    'a probe with NaN',
    'plot: { gates: Tensor.full([4, 1, 2], NaN) }',
    /^train: plot\.gates: expected a probe of finite values, got NaN or ±∞ in it$/,
  ],
  [
    'a probe too long for a live heatmap',
    'plot: { gates: Tensor.zeros([2800, 1, 2]) }',
    /^train: plot\.gates: expected at most 16384 values per gate panel \(steps × units\), got 2800 steps × 6 units = 16800; use a probe of at most 2730 steps$/,
  ],
  [
    'a layer the model lacks',
    'plot: { gates: probe, layer: 1 }',
    /^train: plot\.layer: expected an integer in \[0, 0\], got 1$/,
  ],
  [
    'a sample beyond the probe batch',
    'plot: { gates: probe, sample: 3 }',
    /^train: plot\.sample \(a sample of the probe batch\): expected an integer in \[0, 2\], got 3$/,
  ],
  ['loss not a boolean', "plot: { gates: probe, loss: 'no' }", /^train: plot\.loss: expected true or false, got "no"$/],
];

for (const [what, option, message] of refusals) {
  test(`train refuses ${what} before it draws or trains anything`, async () => {
    const r = await run(
      session,
      [
        'seed(4);',
        'const refused = new LSTM({ inputSize: 2, hiddenSize: 6 });',
        'const before = Array.from(parametersOf(refused)[0].data);',
        'let stepped = false;',
        `try { await train([refused, new Linear(6, 1)], data, { epochs: 1, onStep: () => { stepped = true; }, ${option} }); } catch (e) { console.log(\`\${(e as Error).name}: \${(e as Error).message}\`); }`,
        'stepped || !parametersOf(refused)[0].data.every((v, i) => v === before[i])',
      ].join('\n'),
    );
    assert.equal(r.ok, true, r.error?.stack);
    const [name, ...rest] = r.stdout.trimEnd().split(': ');
    assert.equal(name, 'LstmError');
    assert.match(rest.join(': '), message);
    assert.equal(r.value, 'false', 'training ran although an option was refused');
    assert.equal(
      r.outputs.filter((o) => o.type === 'display').length,
      0,
      'a chart was shown although an option was refused',
    );
  });
}
