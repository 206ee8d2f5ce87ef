/**
 * Embedded Reber grammar: generated strings are accepted, corrupted ones rejected; the
 * dataset's one-hot inputs spell the stream and its multi-hot targets are the legal next symbols.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  embeddedReber,
  embeddedReberString,
  isEmbeddedReber,
  isReber,
  reberString,
  REBER_SYMBOLS,
} from '../../../../core/data/tasks';
import { Rng } from '../../../../core/random';

test('known strings of the grammar and known non-strings', () => {
  for (const s of ['BTXSE', 'BPVVE', 'BTSSXXTVVE', 'BPTVPSE', 'BTXXVPXTVVE']) assert.ok(isReber(s), s);
  for (const s of ['BTXE', 'BPVE', 'TXSE', 'BTXSEE', 'BTTSE', '']) assert.ok(!isReber(s), s);
  assert.ok(isEmbeddedReber('BTBTXSETE'));
  assert.ok(isEmbeddedReber('BPBPVVEPE'));
  assert.ok(!isEmbeddedReber('BTBTXSEPE'), 'the closing symbol must repeat the second');
  assert.ok(!isEmbeddedReber('BTBTXSETEBTBTXSETE'), 'one string only');
});

test('generated strings are accepted; every one-symbol corruption is rejected', () => {
  const rng = new Rng(11);
  for (let k = 0; k < 500; k++) {
    const r = reberString(rng);
    assert.ok(isReber(r), r);
    const s = embeddedReberString(rng);
    assert.ok(isEmbeddedReber(s), s);
    assert.equal(s[1], s[s.length - 2]);
    if (k < 50) {
      for (let i = 0; i < s.length; i++) {
        for (const c of REBER_SYMBOLS) {
          if (c === s[i]) continue;
          const bad = s.slice(0, i) + c + s.slice(i + 1);
          assert.ok(!isEmbeddedReber(bad), `${s} with ${c} at ${i}: ${bad}`);
        }
      }
      assert.ok(!isEmbeddedReber(s.slice(0, -1)), 'truncated');
    }
  }
});

test('both branches are taken about half the time', () => {
  const rng = new Rng(2);
  let t = 0;
  for (let k = 0; k < 4000; k++) if (embeddedReberString(rng)[1] === 'T') t++;
  assert.ok(Math.abs(t / 4000 - 0.5) < 0.03, `${t}`);
});

test('dataset: shapes, one-hot stream of embedded strings, legal-next multi-hot targets', () => {
  const d = embeddedReber({ count: 30, length: 25, seed: 4 });
  assert.deepEqual(d.inputs.shape, [30, 25, 7]);
  assert.deepEqual(d.targets.shape, [30, 25, 7]);
  assert.equal(d.target, 'sequence');
  assert.equal(d.classes, undefined);
  assert.deepEqual(d.meta.symbols, ['B', 'T', 'S', 'X', 'P', 'V', 'E']);
  let stream = '';
  const next: string[] = [];
  for (let n = 0; n < 30; n++) {
    for (let t = 0; t < 25; t++) {
      let hot = '';
      let legal = '';
      for (let s = 0; s < 7; s++) {
        if (d.inputs.get(n, t, s) === 1) hot += REBER_SYMBOLS[s];
        if (d.targets.get(n, t, s) === 1) legal += REBER_SYMBOLS[s];
      }
      assert.equal(hot.length, 1);
      assert.ok(legal.length === 1 || legal.length === 2, legal);
      stream += hot;
      next.push(legal);
    }
  }
  assert.equal(stream, d.meta.text);
  // The stream is whole embedded strings (the last possibly cut off).
  const parts = stream.split(/(?=BTB|BPB)/);
  for (const p of parts.slice(0, -1)) assert.ok(isEmbeddedReber(p), p);
  // Each target holds the actual next symbol, and only symbols that keep the prefix legal.
  for (let k = 0; k + 1 < stream.length; k++) assert.ok(next[k].includes(stream[k + 1]), `at ${k}`);
  // After the inner E, exactly the remembered T/P; after the outer E, B.
  let pos = 0;
  for (const p of parts.slice(0, -1)) {
    const innerEnd = pos + p.length - 3;
    assert.equal(next[innerEnd], p[1]);
    assert.equal(next[pos + p.length - 1], 'B');
    pos += p.length;
  }
});

test('determinism and errors', () => {
  const a = embeddedReber({ count: 5, length: 40, seed: 1 });
  assert.deepEqual(a.inputs.data, embeddedReber({ count: 5, length: 40, seed: 1 }).inputs.data);
  assert.notEqual(a.meta.text, embeddedReber({ count: 5, length: 40, seed: 2 }).meta.text);
  assert.throws(() => embeddedReber({ count: 5, length: 0 }), /embeddedReber: length: expected an integer ≥ 1, got 0/);
  assert.throws(() => reberString(42 as never), /reberString: rng expected an Rng/);
});
