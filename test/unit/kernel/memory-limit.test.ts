/**
 * The kernel's memory guard on its own (extension/kernel/memory-limit.ts): what it counts, when it
 * measures, what it refuses and how it says so, the constructors it puts in place behaving as the
 * originals, and the rewrite's check after every top-level statement. The guard at work in a
 * real kernel is control.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { guardAllocations, MemoryLimit, MemoryLimitError } from '../../../extension/kernel/memory-limit';
import { rewriteCell } from '../../../extension/kernel/rewrite';

const MiB = 2 ** 20;

/** A limit over a pretend use of `inUse()` bytes, counting measurements and collections. */
function fake(limitMb: number, inUse: () => number, collect: (() => void) | null = null) {
  const counts = { measures: 0 };
  const limit = new MemoryLimit(limitMb * MiB, {
    measure: () => {
      counts.measures++;
      return inUse();
    },
    collect,
  });
  return { limit, counts };
}

/** A scope of original constructors, guarded: the worker's globalThis, without touching ours. */
function guardedScope(limit: MemoryLimit) {
  const scope: Record<string, unknown> = {};
  for (const name of [
    'Float32Array',
    'Float64Array',
    'Uint8Array',
    'BigInt64Array',
    'ArrayBuffer',
    'SharedArrayBuffer',
  ])
    Object.defineProperty(scope, name, Object.getOwnPropertyDescriptor(globalThis, name)!);
  guardAllocations(scope, limit);
  return scope as {
    Float32Array: typeof Float32Array;
    Float64Array: typeof Float64Array;
    Uint8Array: typeof Uint8Array;
    BigInt64Array: typeof BigInt64Array;
    ArrayBuffer: typeof ArrayBuffer;
    SharedArrayBuffer: typeof SharedArrayBuffer;
  };
}

test('an allocation that would pass the limit is refused, naming the allocation, its size, the use and the limit', () => {
  const { limit } = fake(4096, () => 2300 * MiB);
  const { Float32Array: F32 } = guardedScope(limit);
  assert.throws(
    () => new F32(500_000_000),
    (error: Error) =>
      error instanceof MemoryLimitError &&
      error instanceof RangeError &&
      error.name === 'RangeError' &&
      error.message ===
        "new Float32Array(500000000) would take 1907 MiB; 2300 MiB are in use and the kernel's memory limit is 4096 MiB (lstmNotebook.kernel.heapLimitMb): nothing was allocated. Set variables you no longer need to null, or raise the limit",
  );
  assert.equal(new F32(400_000_000 / 4).length, 100_000_000, 'what fits is allocated');
});

test('copies count their source length, views and invalid lengths count nothing', () => {
  const { limit } = fake(64, () => 62 * MiB);
  const s = guardedScope(limit);
  const source = new Float64Array(1_000_000);
  assert.throws(
    () => new s.Float32Array(source),
    /^RangeError: new Float32Array\(a Float64Array\(1000000\)\) would take 3\.8 MiB/,
  );
  assert.throws(
    () => new s.Float64Array(Array(1_000_000).fill(0)),
    /^RangeError: new Float64Array\(an array of 1000000 values\) would take 7\.6 MiB/,
  );
  assert.throws(() => new s.ArrayBuffer(8 * MiB), /^RangeError: new ArrayBuffer\(8388608\) would take 8 MiB/);
  assert.throws(() => new s.SharedArrayBuffer(8 * MiB), /^RangeError: new SharedArrayBuffer\(8388608\)/);
  assert.throws(() => new s.BigInt64Array(1_000_000), /^RangeError: new BigInt64Array\(1000000\) would take 7\.6 MiB/);
  // A view on an existing buffer allocates nothing, whatever its size.
  const buffer = new ArrayBuffer(16 * MiB);
  assert.equal(new s.Float32Array(buffer).length, 4 * MiB);
  assert.equal(new s.Uint8Array(buffer, 8, 8).byteOffset, 8);
  // What is not a valid length is the constructor's to refuse, in its own words.
  assert.throws(() => new s.Float32Array(-1), /Invalid typed array length: -1/);
  assert.throws(() => new s.Float32Array(Infinity), /Invalid typed array length: Infinity/);
});

test('small allocations are added up and measured once per 16 MiB; large ones each time', () => {
  const { limit, counts } = fake(4096, () => 100 * MiB);
  const { Float32Array: F32 } = guardedScope(limit);
  for (let i = 0; i < 1000; i++) new F32(1024); // 4 MiB in all
  assert.equal(counts.measures, 0);
  for (let i = 0; i < 4000; i++) new F32(1024); // 16 MiB more
  assert.equal(counts.measures, 1);
  new F32(MiB / 4);
  new F32(MiB / 4);
  assert.equal(counts.measures, 3);
});

test('before refusing, garbage is collected and the use measured again', () => {
  let inUse = 126 * MiB;
  let collections = 0;
  const { limit } = fake(
    128,
    () => inUse,
    () => {
      collections++;
      inUse = 20 * MiB;
    },
  );
  const { Float32Array: F32 } = guardedScope(limit);
  assert.equal(new F32(MiB).length, MiB);
  assert.equal(collections, 1);
  assert.equal(limit.exceeded(), false);
  inUse = 200 * MiB;
  const stuck = fake(
    128,
    () => inUse,
    () => collections++,
  ).limit;
  assert.equal(stuck.exceeded(), true);
  assert.equal(collections, 2);
});

test('the guarded constructors are the originals to everyone: instanceof, prototype, statics, species, subclasses, errors', () => {
  const { limit } = fake(4096, () => 0);
  const s = guardedScope(limit);
  const F32 = s.Float32Array;
  assert.ok(new Float32Array(2) instanceof F32, 'arrays made elsewhere');
  assert.ok(Buffer.alloc(2) instanceof s.Uint8Array, 'Buffers');
  assert.ok(new F32(2) instanceof Float32Array);
  assert.equal(F32.prototype, Float32Array.prototype);
  assert.equal(Object.getPrototypeOf(new F32(2)), Float32Array.prototype);
  assert.deepEqual([F32.name, F32.length, F32.BYTES_PER_ELEMENT], ['Float32Array', 3, 4]);
  assert.deepEqual(F32.from([1, 2]), new Float32Array([1, 2]));
  assert.deepEqual(F32.of(3), new Float32Array([3]));
  assert.equal(s.ArrayBuffer.isView(new F32(1)), true);
  assert.equal(s.ArrayBuffer[Symbol.species], s.ArrayBuffer);
  class Doubled extends F32 {
    twice() {
      return this.map((x) => 2 * x);
    }
  }
  const d = Doubled.from([1, 2]);
  assert.ok(d instanceof Doubled && d instanceof Float32Array);
  assert.deepEqual([...d.twice()], [2, 4]);
  assert.equal(new Doubled(new ArrayBuffer(8), 4).length, 1);
  assert.throws(() => (F32 as unknown as (n: number) => unknown)(3), TypeError);
  // Refused through a subclass and a static method too.
  const full = guardedScope(fake(1, () => MiB).limit).Float32Array;
  class Sub extends full {}
  assert.throws(() => new Sub(MiB), /^RangeError: new Float32Array\(1048576\) would take 4 MiB/);
  assert.throws(() => full.from({ length: MiB }), /^RangeError: new Float32Array\(1048576\)/);
});

test('with checkStatements the rewrite checks memory after each top-level statement, not after a function, a directive or the returned value', () => {
  const check = '__lstmKernel.checkMemory();';
  const script = (cell: string) => rewriteCell(cell, { checkStatements: true }).script;
  assert.equal(
    script("'use strict';\nconst a = f()\nlet b = 2;\nfunction g() {}\nif (a) { b = 3 }\nclass C {}\nb"),
    `(async () => { 'use strict'; globalThis.g = g;\n;(a = f()); ${check}\n;(b = 2); ${check}\nfunction g() {}\nif (a) { b = 3 }; ${check}\n;C = class C {};; ${check}\nreturn { value: (b) }\n})()`,
  );
  assert.equal(
    script("import { x } from 'm'\nx();"),
    `(async () => { ;({ x } = await __lstmKernel.import("m"));; ${check}\nx(); ${check}\n})()`,
  );
  assert.doesNotMatch(
    rewriteCell('const a = 1').script,
    /checkMemory/,
    'off unless asked (Debug Cell steps line by line)',
  );
});
