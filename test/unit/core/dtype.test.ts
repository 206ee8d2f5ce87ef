/** Arrays of either dtype (core/dtype.ts): copyOf, which trace blocks, clones and batches are made with. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyOf } from '../../../core/dtype';

test('copyOf gives an array of the same dtype and values, with storage of its own', () => {
  for (const src of [Float32Array.of(1.5, -0, NaN, 3e38, -2), Float64Array.of(0.1, -0, Infinity, 1e300)]) {
    const whole = new (src.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(src.length + 4);
    whole.set(src, 2);
    const view = whole.subarray(2, 2 + src.length); // a view inside a larger buffer, as the engine's memory is
    const copy = copyOf(view, 'a test');
    assert.equal(copy.constructor, src.constructor);
    assert.equal(copy.length, src.length);
    assert.deepEqual(Array.from(copy), Array.from(src)); // deepEqual tells -0 from 0 and matches NaN
    assert.equal(copy.byteOffset, 0);
    assert.equal(copy.buffer.byteLength, copy.byteLength);
    view[0] = 7;
    assert.equal(copy[0], src[0], 'a later write to the source does not reach the copy');
  }
});

test('copyOf into another dtype converts each value as set would', () => {
  const src = Float32Array.of(0.1, -0, 3e38, NaN);
  const wide = copyOf(src, 'a test', 'float64');
  assert.ok(wide instanceof Float64Array);
  assert.deepEqual(Array.from(wide), Array.from(src));
  const narrow = copyOf(Float64Array.of(0.1, 1e300), 'a test', 'float32');
  assert.ok(narrow instanceof Float32Array);
  assert.deepEqual(Array.from(narrow), [Math.fround(0.1), Infinity]);
});
