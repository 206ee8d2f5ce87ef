/**
 * Temporal order (Hochreiter & Schmidhuber 1997, exp. 6a): B first, E last, X/Y exactly at
 * one step in each window, distractors elsewhere, and labels that match the X/Y order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { temporalOrder, TEMPORAL_ORDER_SYMBOLS } from '../../../../core/data/tasks';

function symbolsOf(d: ReturnType<typeof temporalOrder>, n: number): string[] {
  const out: string[] = [];
  for (let t = 0; t < d.length; t++) {
    let hot = -1;
    for (let s = 0; s < 8; s++) {
      const v = d.inputs.get(n, t, s);
      assert.ok(v === 0 || v === 1);
      if (v === 1) {
        assert.equal(hot, -1, 'one-hot');
        hot = s;
      }
    }
    out.push(TEMPORAL_ORDER_SYMBOLS[hot]);
  }
  return out;
}

test('shapes and meta', () => {
  const d = temporalOrder({ length: 100, count: 4, seed: 1 });
  assert.deepEqual(d.inputs.shape, [4, 100, 8]);
  assert.deepEqual(d.targets.shape, [4]);
  assert.equal(d.classes, 4);
  assert.equal(d.target, 'last');
  assert.deepEqual(d.meta.t1, [10, 20]);
  assert.deepEqual(d.meta.t2, [50, 60]);
  assert.deepEqual(d.meta.classNames, ['XX', 'XY', 'YX', 'YY']);
  assert.ok(Math.abs((d.meta.baselineCrossEntropy as number) - Math.log(4)) < 1e-12);
});

test('B first, E last, X/Y at t1 in [0.1L, 0.2L] and t2 in [0.5L, 0.6L], label matches', () => {
  for (const L of [10, 37, 100]) {
    const d = temporalOrder({ length: L, count: 400, seed: L });
    const [lo1, hi1] = d.meta.t1 as number[];
    const [lo2, hi2] = d.meta.t2 as number[];
    assert.deepEqual(
      [lo1, hi1, lo2, hi2],
      [Math.floor(0.1 * L), Math.floor(0.2 * L), Math.floor(0.5 * L), Math.floor(0.6 * L)],
    );
    const counts = [0, 0, 0, 0];
    const t1s = new Set<number>();
    for (let n = 0; n < d.size; n++) {
      const s = symbolsOf(d, n);
      assert.equal(s[0], 'B');
      assert.equal(s[L - 1], 'E');
      const rel = s.map((c, t) => [c, t] as const).filter(([c]) => c === 'X' || c === 'Y');
      assert.equal(rel.length, 2);
      const [[c1, t1], [c2, t2]] = rel;
      assert.ok(t1 >= lo1 && t1 <= hi1, `t1 ${t1}`);
      assert.ok(t2 >= lo2 && t2 <= hi2, `t2 ${t2}`);
      t1s.add(t1);
      for (let t = 1; t < L - 1; t++) if (t !== t1 && t !== t2) assert.ok('abcd'.includes(s[t]));
      const label = d.targets.get(n);
      assert.equal(['XX', 'XY', 'YX', 'YY'][label], c1 + c2);
      counts[label]++;
    }
    assert.equal(t1s.size, hi1 - lo1 + 1, 'every t1 in the window occurs');
    for (const c of counts) assert.ok(c > 60, `classes balanced: ${counts}`);
  }
});

test('determinism and errors', () => {
  const a = temporalOrder({ length: 20, count: 10, seed: 5 });
  assert.deepEqual(a.inputs.data, temporalOrder({ length: 20, count: 10, seed: 5 }).inputs.data);
  assert.notDeepEqual(a.inputs.data, temporalOrder({ length: 20, count: 10, seed: 6 }).inputs.data);
  assert.throws(
    () => temporalOrder({ length: 9, count: 10 }),
    /temporalOrder: length: expected an integer ≥ 10, got 9/,
  );
  assert.throws(
    () => temporalOrder({ length: 20 } as never),
    /temporalOrder: count: expected an integer ≥ 1, got undefined/,
  );
});
