/**
 * Looking inside from cells, through a real kernel worker: a selection posted by the renderer
 * (through the session, as the controller passes it on) is what the next cell's
 * plot.selection() gives; selectUnits and findPattern are in the cells' module; an
 * intervention shows in the model's summary.
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

test('a selection posted from a chart is what plot.selection() gives the next cell; a bad one is reported and ignored', async () => {
  const none = await run(session, "import { plot } from 'lstm-notebook'; String(plot.selection())");
  assert.equal(none.value, "'null'");
  const selection = {
    on: 'h',
    layer: 0,
    direction: 'forward',
    sample: 0,
    steps: [3, 6],
    threshold: 0.5,
    before: 0,
    after: 2,
    units: [1, 4],
  };
  session.postSelection({ type: 'selection', selection: selection as never });
  const got = await run(session, 'console.log(String(plot.selection()))');
  assert.equal(
    got.stdout,
    "2 units (1, 4): selectUnits(trace, { on: 'h', steps: [3, 6], threshold: 0.5, after: 2 })\n",
  );
  session.postSelection({ type: 'selection', selection: { ...selection, units: 'all' } as never });
  const kept = await run(session, 'plot.selection()!.units.join()');
  assert.equal(kept.value, "'1,4'");
  assert.match(
    kept.stderr,
    /A chart's selection was ignored: selection\.units: expected ascending unit indices, got "all"/,
  );
});

test('cells select units, find them elsewhere and ablate them', async () => {
  const r = await run(
    session,
    [
      "import { LSTM, Rng, Tensor, selectUnits, findPattern } from 'lstm-notebook';",
      'const model = new LSTM({ inputSize: 2, hiddenSize: 8, rng: new Rng(1) });',
      'const x = Tensor.randn([20, 1, 2], { rng: new Rng(2) });',
      'const trace = model.forward(x, { trace: true }).trace!;',
      "const sel = selectUnits(trace, { on: 'o', steps: [2, 4], threshold: 0.5 });",
      'console.log(findPattern(trace, sel).matches.length > 0);',
      'model.intervene({ on: "h", units: sel.units.length ? sel : [0] });',
      'model',
    ].join('\n'),
  );
  assert.equal(r.ok, true, r.error?.stack);
  assert.equal(r.stdout, 'true\n');
  assert.match(
    r.value ?? '',
    /LSTM\(2 → 8, 1 intervention\) · float32 · wasm engine\n {2}intervention: h units? [\d, ]+ of layer 0 zeroed/,
  );
});
