/**
 * CharCorpus (vocabulary, encode/decode, one-hot, next-character windows, split) and the
 * bundled Shakespeare text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CharCorpus } from '../../../../core/data/corpus';
import { SHAKESPEARE, SHAKESPEARE_SOURCE, TINY_SHAKESPEARE, TINY_SHAKESPEARE_SOURCE } from '../../../../core/data/text';

test('vocab is the sorted distinct characters; encode and decode invert each other', () => {
  const c = new CharCorpus('hello world');
  assert.deepEqual(c.vocab, [' ', 'd', 'e', 'h', 'l', 'o', 'r', 'w']);
  assert.equal(c.vocabSize, 8);
  assert.equal(c.length, 11);
  assert.deepEqual(Array.from(c.encode('hold')), [3, 5, 4, 1]);
  assert.equal(c.decode(c.encode('hello world')), 'hello world');
  assert.deepEqual(Array.from(c.indices), Array.from(c.encode('hello world')));
});

test('characters outside the basic plane count as one', () => {
  const c = new CharCorpus('a😀b');
  assert.deepEqual(c.vocab, ['a', 'b', '😀']);
  assert.equal(c.length, 3);
  assert.equal(c.decode(c.encode('😀a')), '😀a');
});

test('oneHot rows', () => {
  const c = new CharCorpus('abc');
  const t = c.oneHot([2, 0], 'float64');
  assert.deepEqual(t.shape, [2, 3]);
  assert.deepEqual(t.toArray(), [
    [0, 0, 1],
    [1, 0, 0],
  ]);
});

test('dataset: one-hot windows with next-character class targets', () => {
  const text = 'abcabcabcab'; // 11 characters
  const c = new CharCorpus(text);
  const d = c.dataset({ seqLength: 4, stride: 3, dtype: 'float64' });
  // starts 0, 3, 6 (6 + 4 < 11), not 9
  assert.deepEqual(d.inputs.shape, [3, 4, 3]);
  assert.deepEqual(d.targets.shape, [3, 4]);
  assert.equal(d.classes, 3);
  assert.equal(d.target, 'sequence');
  for (let n = 0; n < 3; n++) {
    for (let t = 0; t < 4; t++) {
      const ch = c.vocab.findIndex((_, v) => d.inputs.get(n, t, v) === 1);
      assert.equal(c.vocab[ch], text[3 * n + t]);
      assert.equal(c.vocab[d.targets.get(n, t)], text[3 * n + t + 1]);
    }
  }
  assert.equal(c.dataset({ seqLength: 5 }).size, 2, 'default stride = seqLength');
  // unigram entropy of a, b, c in proportions 4/11, 4/11, 3/11
  const p = [4 / 11, 4 / 11, 3 / 11];
  assert.ok(Math.abs((d.meta.baselineCrossEntropy as number) + p.reduce((s, q) => s + q * Math.log(q), 0)) < 1e-12);
  assert.ok(Math.abs((d.meta.uniformCrossEntropy as number) - Math.log(3)) < 1e-12);
});

test('split shares the vocabulary', () => {
  const c = new CharCorpus('aaaaabbbbz');
  const [a, b] = c.split(0.5);
  assert.equal(a.text, 'aaaaa');
  assert.equal(b.text, 'bbbbz');
  assert.deepEqual(a.vocab, c.vocab);
  assert.deepEqual(Array.from(b.encode('z')), [2]);
});

test('errors name the character, its position and the vocabulary', () => {
  const c = new CharCorpus('abc');
  assert.throws(() => c.encode('abxc'), /character "x" at position 2 is not in the vocabulary; expected one of "abc"/);
  assert.throws(() => c.decode([0, 3]), /index 3 at position 1 is out of range; expected an integer in \[0, 2\]/);
  assert.throws(() => c.dataset({ seqLength: 3 }), /seqLength 3 needs a text of at least 4 characters.*got 3/);
  assert.throws(() => c.dataset({ seqLength: 1, strid: 1 } as never), /unknown option "strid"/);
  assert.throws(() => c.split(0.1), /gives parts of 0 and 3/);
  assert.throws(() => new CharCorpus(''), /expected a non-empty string, got ""/);
  assert.throws(
    () => new CharCorpus('abc', { vocab: ['a', 'b'] }),
    /character "c" at position 2 is not in the vocabulary/,
  );
  assert.throws(() => new CharCorpus('ab', { vocab: ['a', 'b', 'a'] }), /vocab expected distinct characters/);
});

test('the Shakespeare text: genuine, sized 20–60 KB, usable as a corpus', () => {
  assert.ok(SHAKESPEARE.length >= 20000 && SHAKESPEARE.length <= 60000, `${SHAKESPEARE.length}`);
  assert.equal(SHAKESPEARE_SOURCE.characters, SHAKESPEARE.length);
  assert.equal(SHAKESPEARE_SOURCE.licence, 'public domain');
  assert.ok(SHAKESPEARE.startsWith('First Citizen:\nBefore we proceed any further, hear me speak.'));
  assert.ok(SHAKESPEARE.includes('MENENIUS:'));
  const c = new CharCorpus(SHAKESPEARE);
  assert.equal(c.vocabSize, 58);
  assert.ok(/^[\n\x20-\x7e]+$/.test(SHAKESPEARE), 'plain ASCII and newlines');
  const d = c.dataset({ seqLength: 100 });
  assert.equal(d.size, Math.floor((SHAKESPEARE.length - 101) / 100) + 1);
  const h = d.meta.baselineCrossEntropy as number;
  assert.ok(h > 2.5 && h < 3.6, `unigram entropy ${h} nats (English letters ≈ 3)`);
});

test('the whole tinyshakespeare corpus ships: 1,115,394 ASCII characters, 65 distinct, the Coriolanus excerpt its start', () => {
  assert.equal(TINY_SHAKESPEARE.length, 1115394);
  assert.equal(TINY_SHAKESPEARE_SOURCE.characters, TINY_SHAKESPEARE.length);
  assert.equal(new Set(TINY_SHAKESPEARE).size, 65);
  assert.ok(/^[\n\x20-\x7e]+$/.test(TINY_SHAKESPEARE), 'plain ASCII and newlines');
  assert.ok(TINY_SHAKESPEARE.startsWith(SHAKESPEARE));
  assert.equal(SHAKESPEARE.length, 39908);
  assert.ok(TINY_SHAKESPEARE.endsWith('Whiles thou art waking.\n'), JSON.stringify(TINY_SHAKESPEARE.slice(-40)));
});

test('a text of one distinct character has nothing to predict: dataset says so', () => {
  assert.throws(
    () => new CharCorpus('aaaaaaaa').dataset({ seqLength: 3 }),
    /^LstmError: CharCorpus\.dataset: expected a text of at least 2 distinct characters .*got only "a"/,
  );
});
