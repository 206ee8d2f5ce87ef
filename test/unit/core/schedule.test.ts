/**
 * Learning-rate schedules against torch.optim.lr_scheduler 1.13 (StepLR, CosineAnnealingLR,
 * LinearLR, SequentialLR), their shapes, and the errors bad options get.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Schedule, cosine, stepDecay, warmup } from '../../../core/schedule';
import { SGD } from '../../../core/optim/sgd';
import { Tensor } from '../../../core/tensor';
import { assertClose, loadFixture } from '../../helpers/fixtures';

interface ScheduleCase {
  name: string;
  kind: 'stepDecay' | 'cosine' | 'warmup';
  options: Record<string, number>;
  then?: { kind: 'cosine'; options: { total: number; min?: number } };
  baseLr: number;
  lrs: number[];
}

const fixture = loadFixture('optim.json') as { schedules: ScheduleCase[] };

function build(c: ScheduleCase): Schedule {
  if (c.kind === 'stepDecay') return stepDecay(c.options as { every: number; gamma: number });
  if (c.kind === 'cosine') return cosine(c.options as { total: number; min?: number });
  return warmup({
    ...(c.options as { steps: number; start?: number }),
    then: c.then ? cosine(c.then.options) : undefined,
  });
}

for (const c of fixture.schedules) {
  test(`${c.name} matches torch's lr sequence`, () => {
    const s = build(c);
    const ours = c.lrs.map((_, k) => s(k, c.baseLr));
    assertClose(ours, c.lrs, 1e-12, 1e-15, c.name);
  });
}

test('fixtures include StepLR, CosineAnnealingLR past T_max, and warm-up into cosine', () => {
  const kinds = fixture.schedules.map((c) => c.kind);
  assert.ok(kinds.includes('stepDecay') && kinds.includes('cosine') && kinds.includes('warmup'));
  assert.ok(fixture.schedules.some((c) => c.then !== undefined));
});

test('shapes: step decay, cosine ends at min, warm-up from 0 by default', () => {
  const s = stepDecay({ every: 10, gamma: 0.1 });
  assert.equal(s(0, 1), 1);
  assert.equal(s(9, 1), 1);
  assertClose([s(10, 1), s(25, 1)], [0.1, 0.01], 1e-15, 0);
  const c = cosine({ total: 100, min: 0.01 });
  assert.equal(c(0, 1), 1);
  assertClose([c(50, 1), c(100, 1)], [0.505, 0.01], 1e-15, 0);
  assert.equal(cosine({ total: 4 })(4, 0.2), 0);
  const w = warmup({ steps: 4 });
  assert.deepEqual(
    [0, 1, 2, 3, 4, 100].map((k) => w(k, 0.4)),
    [0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.4],
  );
  const wc = warmup({ steps: 2, start: 0.5, then: stepDecay({ every: 1, gamma: 0.5 }) });
  assert.deepEqual(
    [0, 1, 2, 3, 4].map((k) => wc(k, 1)),
    [0.5, 0.75, 1, 0.5, 0.25],
  );
});

test('a schedule drives an optimizer through opt.lr', () => {
  const p = Tensor.from([0], [1], 'float64').requireGrad();
  const opt = new SGD(1);
  const base = opt.lr;
  const sched = stepDecay({ every: 1, gamma: 0.5 });
  for (let step = 0; step < 4; step++) {
    opt.lr = sched(step, base);
    p.grad![0] = 1;
    opt.step([p]);
  }
  assert.equal(p.data[0], -(1 + 0.5 + 0.25 + 0.125));
  assert.equal(opt.lr, 0.125);
});

test('schedule errors name what was expected and what was given', () => {
  assert.throws(() => stepDecay({ every: 0, gamma: 0.5 }), /stepDecay: every: expected an integer ≥ 1, got 0/);
  assert.throws(() => stepDecay({ every: 2.5, gamma: 0.5 }), /stepDecay: every: expected an integer ≥ 1, got 2\.5/);
  assert.throws(
    () => stepDecay({ every: 2, gamma: -1 }),
    /stepDecay: gamma: expected a number in \[0, Infinity\], got -1/,
  );
  assert.throws(
    () => stepDecay({ step_size: 2, gamma: 0.5 } as unknown as { every: number; gamma: number }),
    /stepDecay: unknown option "step_size"; expected one of every, gamma/,
  );
  assert.throws(() => cosine({ total: 0 }), /cosine: total: expected an integer ≥ 1, got 0/);
  assert.throws(() => cosine({ total: 10, min: -0.1 }), /cosine: min: expected a number in \[0, Infinity\], got -0\.1/);
  assert.throws(() => cosine({ T_max: 10 } as unknown as { total: number }), /cosine: unknown option "T_max"/);
  assert.throws(() => warmup({ steps: 10, start: 2 }), /warmup: start: expected a number in \[0, 1\], got 2/);
  assert.throws(
    () => warmup({ steps: 10, then: 0.1 as unknown as Schedule }),
    /warmup: then expected a schedule such as cosine\(\{ total: 1000 \}\), got 0\.1/,
  );
  assert.throws(() => cosine({ total: 10 })(-1, 0.1), /cosine: step: expected an integer ≥ 0, got -1/);
  assert.throws(
    () => stepDecay({ every: 1, gamma: 0.5 })(1, NaN),
    /stepDecay: baseLr: expected a number in \[0, Infinity\], got NaN/,
  );
});
