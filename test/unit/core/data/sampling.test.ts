/**
 * softmax with temperature and sampleLogits: argmax limits, top-k, empirical frequencies
 * against the probabilities, determinism, stability and errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleLogits, softmax } from '../../../../core/data/sampling';
import { Rng } from '../../../../core/random';
import { Tensor } from '../../../../core/tensor';

const logits = [1.0, 2.5, -0.5, 2.0, 0.3];

test('softmax: sums to 1, ratios follow exp(Δz / τ), stable at huge logits', () => {
  for (const tau of [0.5, 1, 3]) {
    const p = softmax(logits, tau);
    assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    assert.ok(Math.abs(p[1] / p[3] - Math.exp((2.5 - 2.0) / tau)) < 1e-12);
  }
  const big = softmax([1000, 1001, -Infinity]);
  assert.ok(Math.abs(big[1] - 1 / (1 + Math.exp(-1))) < 1e-12);
  assert.equal(big[2], 0);
  assert.deepEqual(Array.from(softmax(logits, 0)), [0, 1, 0, 0, 0]);
  assert.deepEqual(Array.from(softmax([3, 3, 1], 0)), [1, 0, 0], 'first of equal maxima');
});

test('temperature 0 and topK 1 give the argmax', () => {
  const rng = new Rng(1);
  for (let k = 0; k < 100; k++) {
    assert.equal(sampleLogits(logits, { temperature: 0, rng }), 1);
    assert.equal(sampleLogits(logits, { topK: 1, temperature: 5, rng }), 1);
  }
  assert.equal(sampleLogits(Tensor.from([[0, 9, 3]]), { temperature: 0 }), 1);
});

test('empirical frequencies over 20k draws match softmax(z / τ)', () => {
  for (const tau of [1, 0.7, 2]) {
    const rng = new Rng(42);
    const p = softmax(logits, tau);
    const counts = new Array(logits.length).fill(0);
    const draws = 20000;
    for (let k = 0; k < draws; k++) counts[sampleLogits(logits, { temperature: tau, rng })]++;
    for (let i = 0; i < p.length; i++) {
      const sd = Math.sqrt((p[i] * (1 - p[i])) / draws);
      assert.ok(
        Math.abs(counts[i] / draws - p[i]) < 4 * sd + 1e-3,
        `τ=${tau} class ${i}: ${counts[i] / draws} vs ${p[i]}`,
      );
    }
  }
});

test('topK renormalises over the k largest and never draws the others', () => {
  const rng = new Rng(7);
  const counts = new Array(logits.length).fill(0);
  const draws = 20000;
  for (let k = 0; k < draws; k++) counts[sampleLogits(logits, { topK: 2, rng })]++;
  assert.equal(counts[0] + counts[2] + counts[4], 0);
  const p1 = 1 / (1 + Math.exp(2.0 - 2.5));
  const sd = Math.sqrt((p1 * (1 - p1)) / draws);
  assert.ok(Math.abs(counts[1] / draws - p1) < 4 * sd, `${counts[1] / draws} vs ${p1}`);
});

test('masked logits are never drawn', () => {
  const rng = new Rng(3);
  for (let k = 0; k < 2000; k++) assert.notEqual(sampleLogits([0, -Infinity, 0], { rng }), 1);
});

test('determinism: same seed, same draws', () => {
  const run = (seed: number): number[] => {
    const rng = new Rng(seed);
    return Array.from({ length: 50 }, () => sampleLogits(logits, { rng }));
  };
  assert.deepEqual(run(5), run(5));
  assert.notDeepEqual(run(5), run(6));
  assert.equal(sampleLogits(logits, { seed: 9 }), sampleLogits(logits, { seed: 9 }));
});

test('errors', () => {
  assert.throws(() => sampleLogits([1, NaN]), /expected finite logits.*got NaN at index 1/);
  assert.throws(() => sampleLogits([1, Infinity]), /got Infinity at index 1/);
  assert.throws(() => sampleLogits([-Infinity, -Infinity]), /at least one logit above −Infinity/);
  assert.throws(() => sampleLogits([]), /expected at least one logit, got none/);
  assert.throws(
    () => sampleLogits([1, 2], { temperature: -1 }),
    /temperature: expected a number in \[0, Infinity\], got -1/,
  );
  assert.throws(() => sampleLogits([1, 2], { topK: 3 }), /topK: expected an integer in \[1, 2\], got 3/);
  assert.throws(() => sampleLogits([1, 2], { topk: 1 } as never), /unknown option "topk"/);
  assert.throws(
    () => sampleLogits(Tensor.zeros([2, 3])),
    /expected one row of logits \(shape \[V\] or \[1, V\]\), got a Tensor of shape \[2, 3\]/,
  );
  assert.throws(() => softmax('abc' as never), /expected logits as an array of numbers or a Tensor, got "abc"/);
});
