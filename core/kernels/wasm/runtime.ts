/**
 * The host side of the WebAssembly kernels: compiles the embedded module once, on first use,
 * and owns the memory it works in — a bump arena. Every call into the kernels copies its
 * operands into the arena, runs, copies results out and releases what it took, so no tensor
 * lives in WebAssembly memory between calls: user tensors stay ordinary typed arrays, and the
 * arena's size is the working set of the largest single layer call (it grows, never shrinks;
 * a kernel restart returns it).
 *
 * The memory is shared (a SharedArrayBuffer), so a helper thread started by the host
 * (threads.ts) can run kernels on the same arrays.
 *
 * The WebAssembly API is standard in Node and every browser, but TypeScript declares it only in
 * the DOM library, which core/ must not see: the few members used are declared here.
 */
import { LstmError } from '../../errors';
import { phaseClock } from '../phases';
import { KERNELS_RELAXED_BASE64, KERNELS_SIMD128_BASE64 } from './binary.generated';

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  validate(bytes: Uint8Array): boolean;
}

/**
 * The exports of core/kernels/wasm/assembly/index.ts. Pointers are byte offsets; booleans are
 * 0/1. Parameter names and order are the AssemblyScript declarations' own
 * (test/unit/core/kernels/wasm-exports.test.ts compares them), so calls built as tuples
 * (threads.ts, KernelCall) are checked by the compiler against the kernels themselves.
 */
export interface KernelExports {
  packA(M: number, K: number, a: number, sam: number, sak: number, ap: number): void;
  packB(K: number, N: number, b: number, sbk: number, sbn: number, bp: number): void;
  gemmPacked(M: number, N: number, K: number, ap: number, bp: number, c: number, ldc: number, edge: number): void;
  gemmRows(
    M: number,
    N: number,
    K: number,
    a: number,
    sam: number,
    sak: number,
    bp: number,
    c: number,
    ldc: number,
    ap: number,
    edge: number,
    /** A profile block (or 0): see core/kernels/phases.ts. */
    prof: number,
  ): void;
  sigmoidArray(x: number, y: number, n: number): void;
  tanhArray(x: number, y: number, n: number): void;
  expArray(x: number, y: number, n: number): void;
  lstmForwardSeq(
    T: number,
    s0: number,
    s1: number,
    B: number,
    b0: number,
    Bs: number,
    H: number,
    reverse: number,
    /** 1: a backward follows, z keeps the activations. */
    keep: number,
    z: number,
    pre: number,
    act: number,
    hPrev: number,
    cPrev: number,
    c: number,
    h: number,
    p: number,
    whhP: number,
    ap: number,
    edge: number,
    /** The interventions' block (or 0): see assembly/fixed.ts. */
    fix: number,
    /** A profile block (or 0): see core/kernels/phases.ts. */
    prof: number,
  ): void;
  lstmBackwardSeq(
    T: number,
    s0: number,
    s1: number,
    B: number,
    b0: number,
    Bs: number,
    H: number,
    reverse: number,
    truncate: number,
    dOut: number,
    dh: number,
    dc: number,
    gates: number,
    c: number,
    cPrev: number,
    p: number,
    dZ: number,
    whhBP: number,
    dhSeq: number,
    dcSeq: number,
    ap: number,
    edge: number,
    /** The interventions' block (or 0): see assembly/fixed.ts. */
    fix: number,
    /** A profile block (or 0): see core/kernels/phases.ts. */
    prof: number,
  ): void;
  gruForwardSeq(
    T: number,
    s0: number,
    s1: number,
    B: number,
    b0: number,
    Bs: number,
    H: number,
    reverse: number,
    resetAfter: number,
    zx: number,
    pre: number,
    act: number,
    hPrev: number,
    hn: number,
    rh: number,
    h: number,
    bhh: number,
    whhP: number,
    whnP: number,
    zh: number,
    ap: number,
    edge: number,
    /** The interventions' block (or 0): see assembly/fixed.ts. */
    fix: number,
  ): void;
  gruBackwardSeq(
    T: number,
    s0: number,
    s1: number,
    B: number,
    b0: number,
    Bs: number,
    H: number,
    reverse: number,
    resetAfter: number,
    truncate: number,
    dOut: number,
    dh: number,
    gates: number,
    hPrev: number,
    hn: number,
    dZx: number,
    dZh: number,
    whhBP: number,
    whnBP: number,
    dRh: number,
    dhSeq: number,
    ap: number,
    edge: number,
    /** The interventions' block (or 0): see assembly/fixed.ts. */
    fix: number,
  ): void;
  rnnForwardSeq(
    T: number,
    s0: number,
    s1: number,
    B: number,
    b0: number,
    Bs: number,
    H: number,
    reverse: number,
    relu: number,
    z: number,
    pre: number,
    hPrev: number,
    h: number,
    whhP: number,
    ap: number,
    edge: number,
    /** The interventions' block (or 0): see assembly/fixed.ts. */
    fix: number,
  ): void;
  rnnBackwardSeq(
    T: number,
    s0: number,
    s1: number,
    B: number,
    b0: number,
    Bs: number,
    H: number,
    reverse: number,
    relu: number,
    truncate: number,
    dOut: number,
    dh: number,
    gates: number,
    dZ: number,
    whhBP: number,
    dhSeq: number,
    ap: number,
    edge: number,
    /** The interventions' block (or 0): see assembly/fixed.ts. */
    fix: number,
  ): void;
  softmaxRowStats(N: number, C: number, x: number, m: number, s: number, prof: number): void;
  softmaxGradRows(N: number, C: number, x: number, m: number, logS: number, w: number, dX: number, prof: number): void;
  broadcastRows(dst: number, rows: number, width: number, ld: number, v: number): void;
  addColumnSums(out: number, m: number, rows: number, width: number, ld: number, prof: number): void;
  addColumnDots(out: number, a: number, lda: number, b: number, ldb: number, rows: number, width: number): void;
  transposeTo(src: number, rows: number, cols: number, dst: number): void;
  sparseRowsTimes(
    rows: number,
    width: number,
    bias: number,
    rowStart: number,
    cols: number,
    vals: number,
    wt: number,
    z: number,
    /** A profile block (or 0): see core/kernels/phases.ts. */
    prof: number,
  ): void;
  sparseRowsTransposeTimes(
    rows: number,
    width: number,
    ld: number,
    rowStart: number,
    cols: number,
    vals: number,
    dZ: number,
    dwt: number,
    /** A profile block (or 0): see core/kernels/phases.ts. */
    prof: number,
  ): void;
  heapBase(): number;
}

const PAGE = 65536;
/** Allocations are aligned to a cache line. */
const ALIGN = 64;

/**
 * A stack of f32 / i32 buffers in the module's memory. `mark()` / `release(mark)` bracket
 * each kernel call. Views (`f32`, `i32`) are made on demand from the current buffer; the memory
 * is shared, so growing it leaves earlier views valid over what they covered.
 */
/** A region kept past the call that made it (a run's buffers, until its backward). */
export interface Pin {
  start: number;
  end: number;
  live: boolean;
}

class Arena {
  private top: number;
  private highWater: number;
  /** Regions kept past their call, in allocation order. */
  private readonly pins: Pin[] = [];

  constructor(
    private readonly memory: WasmMemory,
    base: number,
  ) {
    this.top = base;
    this.highWater = base;
  }

  /** Reserves n 4-byte elements (f32 or i32) and returns their byte offset. */
  alloc(n: number): number {
    const p = this.top;
    this.top = Math.ceil((p + 4 * n) / ALIGN) * ALIGN;
    if (this.top > this.memory.buffer.byteLength) {
      const pages = Math.ceil((this.top - this.memory.buffer.byteLength) / PAGE);
      const needed = this.top;
      try {
        this.memory.grow(pages);
      } catch {
        this.top = p;
        throw new LstmError(
          `WebAssembly engine: expected to grow its memory to ${(needed / 2 ** 20).toFixed(0)} MiB for this call, but the runtime refused; use smaller batches or setEngine('js')`,
        );
      }
    }
    this.highWater = Math.max(this.highWater, this.top);
    return p;
  }

  /** alloc(n) and fill it with a copy of `src` (f32). */
  put(src: ArrayLike<number>): number {
    const p = this.alloc(src.length);
    this.f32(p, src.length).set(src);
    return p;
  }

  /** alloc(n) filled with zeros. */
  zeros(n: number): number {
    const p = this.alloc(n);
    this.f32(p, n).fill(0);
    return p;
  }

  f32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, n);
  }

  i32(ptr: number, n: number): Int32Array {
    return new Int32Array(this.memory.buffer, ptr, n);
  }

  mark(): number {
    return this.top;
  }

  release(mark: number): void {
    const pin = this.pins.at(-1);
    // A mark below a live kept region would hand that region out again: a bug in a caller.
    if (pin?.live && mark < pin.end)
      throw new LstmError(
        `WebAssembly engine: internal error, a release to ${mark} below a kept region ending at ${pin.end}`,
      );
    this.top = mark;
    this.collect();
  }

  /** Starts a region that outlives the current call: allocations until endPin() belong to it. */
  beginPin(): Pin {
    return { start: this.top, end: -1, live: true };
  }

  endPin(pin: Pin): void {
    pin.end = this.top;
    this.pins.push(pin);
  }

  /**
   * Gives a region back. Its memory returns once every region above it is given back too (a
   * stack: the backward releases layers in the reverse order the forward kept them).
   */
  unpin(pin: Pin): void {
    if (!pin.live) return;
    pin.live = false;
    this.collect();
  }

  /** Bytes held by live regions. */
  get pinnedBytes(): number {
    return this.pins.reduce((n, p) => n + (p.live ? p.end - p.start : 0), 0);
  }

  private collect(): void {
    for (let p = this.pins.at(-1); p && !p.live && this.top === p.end; p = this.pins.at(-1)) {
      this.pins.pop();
      this.top = p.start;
    }
  }

  /** Bytes of memory the module holds (what the bench reports as the arena's size). */
  get bytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** The most bytes any call has used. */
  get peakBytes(): number {
    return this.highWater;
  }
}

export interface WasmKernels {
  k: KernelExports;
  arena: Arena;
  /** What a host needs to start a helper thread on the same memory (see threads.ts). */
  module: object;
  memory: object;
  /** Byte offset of the control block the two threads share (CONTROL_WORDS Int32s). */
  control: number;
  /** Which build runs. */
  build: KernelBuild;
}

/** Int32 words of the block through which a helper thread takes work (threads.ts). */
export const CONTROL_WORDS = 64;

/** Pages the memory may grow to: wasm32's 4 GiB, reserved, not committed. */
const MAX_PAGES = 65536;

let loaded: WasmKernels | null = null;
let failure: string | null = null;

// Standard in Node ≥ 16 and every browser; the ES2022 library core/ compiles with does not declare it.
declare const atob: (base64: string) => string;

/** The two builds of the kernels (scripts/build-wasm.mjs): with relaxed SIMD, and SIMD128 only. */
export type KernelBuild = 'relaxed' | 'simd128';

function api(): WasmApi {
  const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (!wasm) throw new Error('this JavaScript runtime has no WebAssembly');
  return wasm;
}

const decoded = new Map<KernelBuild, Uint8Array>();

/** A build's bytes, decoded once (validating and compiling both read them). */
function bytesOf(build: KernelBuild): Uint8Array {
  let bytes = decoded.get(build);
  if (!bytes) {
    bytes = Uint8Array.from(atob(build === 'relaxed' ? KERNELS_RELAXED_BASE64 : KERNELS_SIMD128_BASE64), (c) =>
      c.charCodeAt(0),
    );
    decoded.set(build, bytes);
  }
  return bytes;
}

/**
 * Whether this runtime accepts the relaxed-SIMD build: Node ≥ 22, VS Code and code-server do;
 * Node 20 does once a host has set V8's --experimental-wasm-relaxed-simd (the kernel worker,
 * the runner and the bench do, before the first kernel call).
 */
export function relaxedSimdSupported(): boolean {
  try {
    return api().validate(bytesOf('relaxed'));
  } catch {
    return false;
  }
}

/** Compiles one build on a fresh shared memory. Exported for tests, which compare the builds. */
export function instantiateBuild(build: KernelBuild): WasmKernels {
  const wasm = api();
  const bytes = bytesOf(build);
  if (!wasm.validate(bytes)) {
    throw new Error(
      build === 'relaxed'
        ? 'this runtime does not accept relaxed SIMD'
        : 'this runtime does not support WebAssembly SIMD128 (Node ≥ 16.4, VS Code ≥ 1.60 and current browsers do)',
    );
  }
  if (typeof SharedArrayBuffer === 'undefined')
    throw new Error('this runtime has no SharedArrayBuffer (the kernels work in shared memory)');
  const memory = new wasm.Memory({ initial: 16, maximum: MAX_PAGES, shared: true });
  const module = new wasm.Module(bytes);
  // `now` is read only by profiled calls (core/kernels/phases.ts), never otherwise.
  const instance = new wasm.Instance(module, { env: { memory, now: phaseClock } });
  const k = instance.exports as unknown as KernelExports;
  // The control block sits below the arena, for the life of the process.
  const control = Math.ceil(k.heapBase() / ALIGN) * ALIGN;
  new Int32Array(memory.buffer, control, CONTROL_WORDS).fill(0);
  const base = Math.ceil((control + 4 * CONTROL_WORDS) / ALIGN) * ALIGN;
  return { k, arena: new Arena(memory, base), module, memory, control, build };
}

function load(): WasmKernels {
  return instantiateBuild(relaxedSimdSupported() ? 'relaxed' : 'simd128');
}

/** Why the WebAssembly kernels cannot run here, or null when they can. */
export function wasmUnavailableReason(): string | null {
  if (loaded) return null;
  if (failure !== null) return failure;
  try {
    loaded = load();
    return null;
  } catch (e) {
    failure = e instanceof Error ? e.message : String(e);
    return failure;
  }
}

/** The compiled kernels and their arena; throws an LstmError naming the reason when unavailable. */
export function wasmKernels(): WasmKernels {
  if (loaded) return loaded;
  const reason = wasmUnavailableReason();
  if (reason !== null) throw new LstmError(`WebAssembly engine unavailable: ${reason}`);
  return loaded!;
}

/**
 * The WebAssembly engine's build and memory: bytes held, the most any call has used, and what
 * kept runs hold now (0 before first use).
 */
export function wasmMemoryUse(): { build: KernelBuild | null; bytes: number; peakBytes: number; pinnedBytes: number } {
  return loaded
    ? {
        build: loaded.build,
        bytes: loaded.arena.bytes,
        peakBytes: loaded.arena.peakBytes,
        pinnedBytes: loaded.arena.pinnedBytes,
      }
    : { build: null, bytes: 0, peakBytes: 0, pinnedBytes: 0 };
}
