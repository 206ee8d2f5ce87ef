/**
 * The host side of the WebAssembly kernels: compiles the embedded module once, on first use,
 * and owns the memory it works in — a bump arena. Every call into the kernels copies its
 * operands into the arena, runs, copies results out and releases what it took, so no tensor
 * lives in WebAssembly memory between calls: user tensors stay ordinary typed arrays, and the
 * arena's size is the working set of the largest single layer call (it grows, never shrinks;
 * a kernel restart returns it).
 *
 * The WebAssembly API is standard in Node and every browser, but TypeScript declares it only in
 * the DOM library, which core/ must not see: the few members used are declared here.
 */
import { LstmError } from '../../errors';
import { KERNELS_WASM_BASE64 } from './binary.generated';

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
  validate(bytes: Uint8Array): boolean;
}

/** The exports of core/kernels/wasm/assembly/index.ts. Pointers are byte offsets; booleans are 0/1. */
export interface KernelExports {
  packA(M: number, K: number, a: number, sam: number, sak: number, ap: number): void;
  packB(K: number, N: number, b: number, sbk: number, sbn: number, bp: number): void;
  gemmPacked(M: number, N: number, K: number, ap: number, bp: number, c: number, ldc: number): void;
  sigmoidArray(x: number, y: number, n: number): void;
  tanhArray(x: number, y: number, n: number): void;
  expArray(x: number, y: number, n: number): void;
  lstmForwardStep(B: number, H: number, z: number, pre: number, cPrev: number, p: number, c: number, h: number, cNext: number, hNext: number): void;
  lstmBackwardStep(B: number, H: number, dOut: number, dhNext: number, dcNext: number, gates: number, c: number, cPrev: number, p: number, dZ: number, dp: number, sums: number): void;
  gruGatesStep(B: number, H: number, zx: number, zh: number, pre: number, hPrev: number, rh: number): void;
  gruCandidateStep(B: number, H: number, zx: number, zh: number, pre: number, hPrev: number, hn: number, h: number, hNext: number, resetAfter: number): void;
  gruBackwardStep(B: number, H: number, dOut: number, dhNext: number, gates: number, hPrev: number, hn: number, dZx: number, dZh: number, resetAfter: number, sums: number): void;
  gruResetBackwardStep(B: number, H: number, dRh: number, gates: number, hPrev: number, dZx: number, dZh: number, dhNext: number): void;
  rnnForwardStep(B: number, H: number, z: number, pre: number, h: number, hNext: number, relu: number): void;
  rnnBackwardStep(B: number, H: number, dOut: number, dhNext: number, h: number, dZ: number, relu: number, sums: number): void;
  broadcastRows(dst: number, rows: number, width: number, ld: number, v: number): void;
  addColumnSums(out: number, m: number, rows: number, width: number, ld: number): void;
  sparseRowsTimes(rows: number, width: number, rowStart: number, cols: number, vals: number, wt: number, z: number): void;
  sparseRowsTransposeTimes(rows: number, width: number, rowStart: number, cols: number, vals: number, dZ: number, dwt: number): void;
  heapBase(): number;
}

const PAGE = 65536;
/** Allocations are aligned to a cache line. */
const ALIGN = 64;

/**
 * A stack of f32 / i32 buffers in the module's memory. `mark()` / `release(mark)` bracket
 * each kernel call. Views (`f32`, `i32`) are made on demand from the current buffer: growing
 * the memory detaches every earlier view, so never keep one across an `alloc`.
 */
export class Arena {
  private top: number;
  private highWater: number;

  constructor(private readonly memory: WasmMemory, base: number) {
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
        throw new LstmError(`WebAssembly engine: expected to grow its memory to ${(needed / 2 ** 20).toFixed(0)} MiB for this call, but the runtime refused; use smaller batches or setEngine('js')`);
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
    this.top = mark;
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
}

let loaded: WasmKernels | null = null;
let failure: string | null = null;

function decodeBase64(s: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const value = new Uint8Array(128);
  for (let i = 0; i < alphabet.length; i++) value[alphabet.charCodeAt(i)] = i;
  const clean = s.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    acc = (acc << 6) | value[clean.charCodeAt(i)];
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

function load(): WasmKernels {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) throw new Error('this JavaScript runtime has no WebAssembly');
  const bytes = decodeBase64(KERNELS_WASM_BASE64);
  if (!api.validate(bytes)) throw new Error('this runtime does not support WebAssembly SIMD128 (Node ≥ 16.4, VS Code ≥ 1.60 and current browsers do)');
  const memory = new api.Memory({ initial: 16 });
  const instance = new api.Instance(new api.Module(bytes), { env: { memory } });
  const k = instance.exports as unknown as KernelExports;
  return { k, arena: new Arena(memory, Math.ceil(k.heapBase() / ALIGN) * ALIGN) };
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
