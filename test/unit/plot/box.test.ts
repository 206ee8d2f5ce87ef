/**
 * plot.box: groups from a sweep's results (ranked, labelled by seed, variants without runs left
 * out) or from named numbers; the log scale chosen only when every value is positive and they
 * span two decades; the errors for bad input.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SweepResults, type SweepRun } from '../../../core/sweep-results';
import { boxPayload } from '../../../plot/box';
import { plot } from '../../../plot/index';
import { MIME } from '../../../protocol/chart-payloads';
import { validatePayload } from '../../../protocol/validate-chart-payloads';

const run = (variant: string, seed: number, testLoss: number): SweepRun => ({
  variant,
  seed,
  testLoss,
  trainLoss: 0,
  steps: 5,
  curve: [],
  ms: 123,
});

test('from sweep results: one group per variant that has run, best median first, each value labelled with its seed', () => {
  const r = new SweepResults(['slow', 'fast', 'waiting'], [4, 9], 5);
  r.add(run('slow', 4, 0.2), 'mse');
  r.add(run('slow', 9, 0.4), 'mse');
  r.add(run('fast', 4, 0.001), 'mse');
  const p = boxPayload(r);
  assert.deepEqual(p.groups, [
    { name: 'fast', values: [0.001], labels: ['seed 4'] },
    { name: 'slow', values: [0.2, 0.4], labels: ['seed 4', 'seed 9'] },
  ]);
  assert.equal(p.valueTitle, 'test loss (mse)');
  assert.equal(p.logScale, true); // 0.001 … 0.4 spans more than two decades
  assert.equal(p.title, 'Test loss per variant over 2 seeds (5 steps each), best median first');
  assert.equal(validatePayload(MIME.box, p), null);
  assert.equal(
    plot.box(r).summary,
    'Test loss per variant over 2 seeds (5 steps each), best median first: fast median 0.001000 of 1; slow median 0.3000 of 2',
  );
});

test('from named numbers: { name: values } or [{ name, values }]; linear unless asked or two decades apart', () => {
  const p = boxPayload({ a: [1, 2, 3], b: [-1, 5] });
  assert.deepEqual(
    p.groups.map((g) => [g.name, g.values, g.labels]),
    [
      ['a', [1, 2, 3], undefined],
      ['b', [-1, 5], undefined],
    ],
  );
  assert.equal(p.logScale, false);
  assert.equal(p.valueTitle, 'value');
  assert.equal(boxPayload([{ name: 'x', values: [1, 50] }]).logScale, false);
  assert.equal(boxPayload([{ name: 'x', values: [1, 50] }], { logScale: true }).logScale, true);
  assert.equal(boxPayload([{ name: 'x', values: [1, 500] }], { logScale: false }).logScale, false);
});

test('bad input is refused, naming what was expected and what was given', () => {
  assert.throws(
    () => boxPayload(3),
    /^LstmError: plot\.box: expected sweep\(\) results, \{ name: number\[\] \} or a list of \{ name, values: number\[\] \}, got 3$/,
  );
  assert.throws(() => boxPayload({ a: [] }), /plot\.box: group 0 expected .*got name "a" and values \[\]$/);
  assert.throws(() => boxPayload({ a: [1, NaN] }), /plot\.box: group "a" expected finite numbers, got NaN at 1$/);
  assert.throws(
    () => boxPayload({ a: [1, 0] }, { logScale: true }),
    /plot\.box: logScale needs values above 0, got 0; use logScale: false$/,
  );
  assert.throws(() => boxPayload({ a: [1] }, { scale: 'log' } as never), /plot\.box: unknown option "scale"/);
  assert.throws(
    () => boxPayload(new SweepResults(['a'], [0], 5)),
    /plot\.box: expected sweep\(\) results with at least one run, got none yet$/,
  );
});
