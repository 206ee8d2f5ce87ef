/**
 * The kernel's bound on memory outside the JS heap (lstmNotebook.kernel.heapLimitMb): typed
 * arrays — every Tensor is one — ArrayBuffers, Buffers and the WebAssembly engine's memory. The
 * worker's heap limit does not cover them, so the worker enforces this one itself, three ways:
 *
 * - **Refusal.** The typed-array constructors (Float32Array … BigUint64Array) and ArrayBuffer /
 *   SharedArrayBuffer are replaced, in the worker's global scope only, by twins that refuse an
 *   allocation whose new bytes would take the memory in use past the limit, with a RangeError
 *   naming the size, the use and the limit. Nothing is allocated and the kernel keeps every
 *   variable. `instanceof` (of arrays made anywhere: Buffers, the core, Node), static methods
 *   (`from`, `of`), subclassing and `BYTES_PER_ELEMENT` behave as before (guardAllocations).
 *   Views on an existing buffer allocate nothing and pass untouched.
 * - **A check after every top-level statement** of a cell (the rewrite adds it) and in every loop
 *   (check()): what the constructors cannot see — Buffer.alloc, a WebAssembly memory's growth,
 *   `.slice()`, many arrays inside one expression — is caught there, and the worker exits with
 *   EXIT_MEMORY_LIMIT; the host restarts it and says why.
 * - Before refusing or exiting, a full garbage collection: arrays nothing refers to any more
 *   still count in V8's external memory until it collects them (a loop replacing a 300 MiB array
 *   showed 860 MiB), and must not end anyone's kernel.
 *
 * Cost: a measurement (V8's heap statistics plus the engine's arena, about a microsecond) for an
 * allocation of 1 MiB or more, or once small ones have added up to 16 MiB; otherwise an addition
 * and a comparison.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isAnyArrayBuffer } from 'node:util/types';

const MiB = 2 ** 20;
// Taken before guardAllocations replaces the globals these would otherwise reach.
const isView = ArrayBuffer.isView.bind(ArrayBuffer);
/** Allocations from this size on are measured one by one. */
const MEASURED_FROM = MiB;

/** A refused allocation: a RangeError, as the runtime's own "Array buffer allocation failed". */
export class MemoryLimitError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'RangeError';
  }
}

export interface MemoryLimitOptions {
  /** Bytes outside the JS heap in use now (default: V8's external memory + `engineBytes()`). */
  measure?: () => number;
  /** Bytes the WebAssembly engine holds (added to V8's external memory by the default measure). */
  engineBytes?: () => number;
  /** A full garbage collection, or null (default: V8's gc, exposed once for this worker). */
  collect?: (() => void) | null;
}

export class MemoryLimit {
  /** Bytes let through by reserve() since the last measurement. */
  private unmeasured = 0;
  private readonly slack: number;
  private readonly measure: () => number;
  private readonly collect: (() => void) | null;

  constructor(
    readonly limitBytes: number,
    options: MemoryLimitOptions = {},
  ) {
    const engineBytes = options.engineBytes ?? (() => 0);
    this.measure = options.measure ?? (() => getHeapStatistics().external_memory + engineBytes());
    this.collect = options.collect === undefined ? exposedGc() : options.collect;
    this.slack = Math.min(16 * MiB, limitBytes / 16);
  }

  /** Bytes outside the JS heap in use now. */
  used(): number {
    return this.measure();
  }

  /**
   * Lets `bytes` more be allocated, or throws a MemoryLimitError whose message begins with
   * `what()` (e.g. "new Float32Array(500000000)") when they would pass the limit.
   */
  reserve(bytes: number, what: () => string): void {
    if (bytes < MEASURED_FROM) {
      this.unmeasured += bytes;
      if (this.unmeasured < this.slack) return;
    }
    this.unmeasured = 0;
    const used = this.fits(bytes);
    if (used === null) return;
    throw new MemoryLimitError(
      `${what()} would take ${mib(bytes)}; ${mib(used)} ${used >= 2 * MiB ? 'are' : 'is'} in use and the kernel's memory limit is ` +
        `${mib(this.limitBytes)} (lstmNotebook.kernel.heapLimitMb): nothing was allocated. Set variables you no longer need to null, or raise the limit`,
    );
  }

  /** True when the memory in use is past the limit even after a garbage collection. */
  exceeded(): boolean {
    this.unmeasured = 0;
    return this.fits(0) !== null;
  }

  /** null when `bytes` more fit (collecting garbage first if need be), else the bytes in use. */
  private fits(bytes: number): number | null {
    let used = this.measure();
    if (used + bytes <= this.limitBytes) return null;
    if (!this.collect) return used;
    this.collect();
    used = this.measure();
    return used + bytes <= this.limitBytes ? null : used;
  }
}

/** 2000000000 → "1907 MiB", 1.5 MiB → "1.5 MiB". */
function mib(bytes: number): string {
  const m = bytes / MiB;
  return `${m >= 10 || Number.isInteger(m) ? Math.round(m) : m.toFixed(1)} MiB`;
}

/**
 * A full garbage collection by V8's `gc()`, without starting the process with --expose-gc: the flag is set just long enough
 * for one new context to get the function, then unset. null if this runtime refuses.
 */
function exposedGc(): (() => void) | null {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    if (typeof gc !== 'function') return null;
    // The freed buffers leave the external-memory count when their sweep is finalized, which a
    // full collection only starts (it ran concurrently): the next collection, a minor one, ends it.
    return () => {
      gc();
      gc({ type: 'minor' });
    };
  } catch {
    return null;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}

const GUARDED_ARRAYS = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
] as const;
const GUARDED_BUFFERS = ['ArrayBuffer', 'SharedArrayBuffer'] as const;

type Constructor = new (...args: unknown[]) => object;

/**
 * Replaces the typed-array and buffer constructors of `scope` (the worker's globalThis) by
 * guarded twins. A twin is a function sharing the original's `prototype`, so `instanceof` holds
 * for arrays made anywhere (Buffers, the core, Node), with the original's static properties
 * (`BYTES_PER_ELEMENT`, `isView`) and prototype (`from`, `of` and `Symbol.species`, which then
 * construct through the twin), its name and length. It constructs the original directly when
 * called as itself — an allocation costs what it did, where a Proxy's construct trap added
 * about 0.75 µs — and with the subclass as new.target when a subclass calls it. Code that
 * captured a constructor before (Node's own Buffer) keeps the original.
 */
export function guardAllocations(scope: Record<string, unknown>, limit: MemoryLimit): void {
  for (const name of [...GUARDED_ARRAYS, ...GUARDED_BUFFERS]) {
    const original = scope[name] as Constructor | undefined;
    if (typeof original !== 'function') continue;
    const bytesPer = (original as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT;
    const count = bytesPer === undefined ? bufferBytes : elements;
    const unit = bytesPer ?? 1;
    const twin = function (this: unknown, a0?: unknown, a1?: unknown, a2?: unknown): object {
      // Called without `new`: the original's own TypeError.
      if (new.target === undefined) return (original as unknown as (...args: unknown[]) => object)(a0, a1, a2);
      const n = typeof a0 === 'number' ? (a0 > 0 && a0 < Infinity ? a0 : 0) : count(a0);
      if (n > 0)
        limit.reserve(n * unit, () =>
          typeof a0 === 'number' ? `new ${name}(${a0})` : `new ${name}(${describeSource(a0)})`,
        );
      // At most three arguments mean anything to these constructors, and one not given is undefined.
      return new.target === twin
        ? new original(a0, a1, a2)
        : (Reflect.construct(original, [a0, a1, a2], new.target) as object);
    };
    for (const [key, property] of Object.entries(Object.getOwnPropertyDescriptors(original)))
      Object.defineProperty(twin, key, property); // prototype, name, length, BYTES_PER_ELEMENT, isView, species…
    for (const key of Object.getOwnPropertySymbols(original))
      Object.defineProperty(twin, key, Object.getOwnPropertyDescriptor(original, key)!);
    Object.setPrototypeOf(twin, Object.getPrototypeOf(original));
    const property = Object.getOwnPropertyDescriptor(scope, name);
    Object.defineProperty(scope, name, { ...property, value: twin });
  }
}

/**
 * How many elements `new XArray(first, …)` allocates: a length, or the length of an array or
 * typed array it copies; 0 for a view on a buffer, and for iterables and array-likes, whose
 * length is known only once built (the statement check sees those). What is not a valid length
 * counts 0: the constructor itself then says what is wrong.
 */
function elements(first: unknown): number {
  let n: number;
  if (typeof first === 'number') n = first;
  else if (typeof first === 'string' || typeof first === 'boolean') n = Number(first);
  else if (typeof first !== 'object' || first === null || isAnyArrayBuffer(first)) return 0;
  else if (Array.isArray(first)) n = first.length;
  else if (isView(first) && !(first instanceof DataView)) n = (first as unknown as ArrayLike<unknown>).length;
  else return 0;
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

function bufferBytes(first: unknown): number {
  const n = typeof first === 'number' ? first : typeof first === 'string' ? Number(first) : 0;
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

function describeSource(first: unknown): string {
  if (Array.isArray(first)) return `an array of ${first.length} values`;
  if (isView(first)) return `a ${first.constructor.name}(${(first as unknown as ArrayLike<unknown>).length})`;
  return JSON.stringify(first) ?? String(first);
}
