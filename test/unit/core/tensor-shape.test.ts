/** The shape helpers every module shares (core/tensor.ts): sameShape and unravel, and a message that uses it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bceWithLogitsLoss } from '../../../core/loss';
import { add, weightedSum } from '../../../core/ops';
import { Tensor, sameShape, unravel } from '../../../core/tensor';

test('sameShape compares rank and every size', () => {
  assert.equal(sameShape([2, 3], [2, 3]), true);
  assert.equal(sameShape([], []), true);
  assert.equal(sameShape([2, 3], [3, 2]), false);
  assert.equal(sameShape([2, 3], [2, 3, 1]), false);
  assert.equal(sameShape([6], [2, 3]), false);
});

test('unravel turns a flat row-major index into a multi-index', () => {
  assert.deepEqual(unravel(0, [2, 3]), [0, 0]);
  assert.deepEqual(unravel(5, [2, 3]), [1, 2]);
  // 2·12 + 1·4 + 3 = 31 in [3, 3, 4]
  assert.deepEqual(unravel(31, [3, 3, 4]), [2, 1, 3]);
  assert.deepEqual(unravel(0, []), []);
});

test('bceWithLogitsLoss names the multi-index of a target outside [0, 1]', () => {
  const logits = Tensor.zeros([2, 3], 'float64');
  const targets = Tensor.from([0, 1, 0.5, 0.2, 2, 0], [2, 3], 'float64');
  assert.throws(() => bceWithLogitsLoss(logits, targets), /expected targets in \[0, 1\], got 2 at index \[1, 1\]/);
});

test('add and weightedSum refuse tensors of equal size but different shapes, and non-tensors', () => {
  const a = Tensor.zeros([2, 3]);
  const b = Tensor.zeros([3, 2]);
  assert.throws(() => add(a, b), /add: expected equal shapes, got \[2, 3\] and \[3, 2\]/);
  assert.throws(() => weightedSum(a, b), /weightedSum: expected equal shapes, got \[2, 3\] and \[3, 2\]/);
  assert.throws(() => add(1 as never, 2 as never), /^LstmError: add: expected two Tensors, got 1 and 2/);
  assert.deepEqual(Array.from(add(Tensor.from([1, 2], [2]), Tensor.from([3, 4], [2])).data), [4, 6]);
});

test('Tensor.get and Tensor.set name themselves in their index errors', () => {
  const t = Tensor.zeros([2, 2]);
  assert.throws(() => t.get(2, 0), /^LstmError: Tensor\.get: index 2 out of range for dimension 0 of size 2/);
  assert.throws(() => t.set([0], 1), /^LstmError: Tensor\.set: expected 2 indices for shape \[2, 2\], got 1/);
});
