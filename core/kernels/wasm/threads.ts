/**
 * Two threads on one WebAssembly memory. The core cannot start a thread (no Node or DOM APIs
 * here); a host that can — the kernel worker, the headless runner, the bench — calls
 * `helperHandle()`, starts a worker on it (extension/kernel/wasm-helper.ts) and the helper
 * then takes kernel calls posted here. Without a helper, or when it is slow to pick a call up,
 * this thread runs the call itself.
 *
 * The work given to the two threads is always split the same way (batch halves, row ranges of
 * products, chosen from the sizes alone), and each half computes its rows exactly as a single
 * thread would: results are bit-identical with one thread or two, run to run.
 *
 * Control block (Int32, shared): [state, kernel index, argument count, arguments…]
 *   IDLE → POSTED (this thread, with the call written) → RUNNING (helper took it) → DONE
 *   or POSTED → TAKEN_BACK (this thread runs it after all) → IDLE.
 *
 * Both threads sleep in Atomics.wait between calls; a wake-up costs 20–110 µs here (measured
 * on this 2-core VM, quiet), so products too small to repay it run on one thread
 * (PARALLEL_MACS in products.ts). Spinning instead of sleeping was tried: a little faster on an
 * idle machine, much slower on a loaded one (a spinning thread preempted is a call taken back
 * late), so the threads do not spin.
 */
import { LstmError } from '../../errors';
import { chargeKernel, inPhase, PROFILE_FLOATS, profiling } from '../phases';
import type { KernelExports, WasmKernels } from './runtime';
import { CONTROL_WORDS, wasmKernels } from './runtime';

/** Word indices of the control block. */
export const Slot = { State: 0, Kernel: 1, Count: 2, Args: 3 } as const;
/** Values of its State word. */
export const State = { Idle: 0, Posted: 1, Running: 2, Done: 3, Failed: 4, TakenBack: 5 } as const;

/** The order in which both threads number the kernels a helper may run. */
const HELPER_KERNELS = [
  'gemmRows',
  'lstmForwardSeq',
  'lstmBackwardSeq',
  'gruForwardSeq',
  'gruBackwardSeq',
  'rnnForwardSeq',
  'rnnBackwardSeq',
  'sparseRowsTimes',
  'softmaxRowStats',
  'softmaxGradRows',
  'addColumnSums',
  'sparseRowsTransposeTimes',
] as const;
type HelperKernel = (typeof HELPER_KERNELS)[number];

/** The kernels whose last parameter is a profile block (`prof`), which runProfiledCalls appends. */
type ProfiledKernel =
  | 'gemmRows'
  | 'lstmForwardSeq'
  | 'lstmBackwardSeq'
  | 'sparseRowsTimes'
  | 'softmaxRowStats'
  | 'softmaxGradRows'
  | 'addColumnSums'
  | 'sparseRowsTransposeTimes';

type WithoutLast<T extends readonly unknown[]> = T extends readonly [...infer Head, unknown] ? Head : never;

/** A call a helper may run: a kernel's name and its arguments, checked against its declared parameters. */
export type KernelCall = { [K in HelperKernel]: readonly [K, Parameters<KernelExports[K]>] }[HelperKernel];

/** A call of a profiled kernel without its profile block (runProfiledCalls adds it). */
export type ProfiledCall = {
  [K in ProfiledKernel]: readonly [K, WithoutLast<Parameters<KernelExports[K]>>];
}[ProfiledKernel];

/** The kernels instance a helper thread serves, or null. */
let helperOf: WasmKernels | null = null;
/** Calls the helper ran and calls this thread took back, since the process started. */
const stats = { helper: 0, takenBack: 0 };

/** How the work was shared so far (for tests and the bench). */
export function threadStats(): { helper: number; takenBack: number } {
  return { ...stats };
}

/** What a host needs to start a helper thread: the compiled module, the shared memory, the control block. */
export interface HelperHandle {
  module: object;
  memory: object;
  control: number;
  kernels: readonly string[];
  words: number;
}

/** The handle for a helper thread, or null when the WebAssembly engine cannot run here. */
export function helperHandle(): HelperHandle | null {
  let kw;
  try {
    kw = wasmKernels();
  } catch {
    return null;
  }
  helperOf = kw;
  return { module: kw.module, memory: kw.memory, control: kw.control, kernels: HELPER_KERNELS, words: CONTROL_WORDS };
}

/** Forgets the helper (its host stopped it); calls run on this thread from now on. */
export function detachHelper(): void {
  helperOf = null;
}

function run({ k }: WasmKernels, call: KernelCall): void {
  // KernelCall pairs each name with that kernel's own arguments; the compiler cannot follow
  // the pairing through an indexed call, so this is the one place that widens it.
  (k[call[0]] as (...args: readonly number[]) => void)(...call[1]);
}

/**
 * Runs the calls on `kw`, which must touch disjoint outputs: the first on the helper thread
 * when one serves `kw`, the rest here, and returns when all are done — with the index of the
 * call the helper ran, or -1 when this thread ran them all.
 */
export function runCalls(kw: WasmKernels, calls: readonly KernelCall[]): number {
  if (helperOf !== kw || calls.length < 2) {
    for (const c of calls) run(kw, c);
    return -1;
  }
  const ctrl = new Int32Array((kw.memory as { buffer: ArrayBufferLike }).buffer, kw.control, CONTROL_WORDS);
  const [first, ...rest] = calls;
  const index = HELPER_KERNELS.indexOf(first[0]);
  if (index < 0 || first[1].length > CONTROL_WORDS - Slot.Args || Atomics.load(ctrl, Slot.State) !== State.Idle) {
    for (const c of calls) run(kw, c);
    return -1;
  }
  ctrl[Slot.Kernel] = index;
  ctrl[Slot.Count] = first[1].length;
  first[1].forEach((v, i) => (ctrl[Slot.Args + i] = v));
  Atomics.store(ctrl, Slot.State, State.Posted);
  Atomics.notify(ctrl, Slot.State, 1);
  // Whatever happens here, wait for the posted call before returning: it writes into arena
  // memory the caller is about to release.
  let failure: unknown = null;
  try {
    for (const c of rest) run(kw, c);
  } catch (error) {
    failure = error;
  }
  const ranHere = inPhase('thread waits', () => awaitHelper(kw, ctrl, first, failure === null));
  Atomics.store(ctrl, Slot.State, State.Idle);
  if (failure !== null) throw failure;
  if (ranHere instanceof Error) throw ranHere;
  return ranHere ? -1 : 0;
}

/**
 * Waits for the helper to finish the posted call, or takes it back and runs it here (when
 * `mayRun`) if the helper has not picked it up. Returns true when this thread ran it, or the
 * helper's failure.
 */
function awaitHelper(kw: WasmKernels, ctrl: Int32Array, call: KernelCall, mayRun: boolean): boolean | Error {
  for (;;) {
    const s: number = Atomics.load(ctrl, Slot.State);
    if (s === State.Done) {
      stats.helper++;
      return false;
    }
    if (s === State.Failed) return new LstmError(`WebAssembly engine: the helper thread failed running ${call[0]}`);
    if (
      s === State.Posted &&
      Atomics.compareExchange(ctrl, Slot.State, State.Posted, State.TakenBack) === State.Posted
    ) {
      // The helper has not picked it up (starting, preempted, or gone): run it here.
      stats.takenBack++;
      if (mayRun) run(kw, call);
      return true;
    }
    Atomics.wait(ctrl, Slot.State, s, 100);
  }
}

/**
 * runCalls for kernels whose last parameter is a profile block (core/kernels/phases.ts): each
 * call gets one when profiling (else 0), charged afterwards to the phases named by `parts`
 * ('' is the caller's phase) on whichever thread ran it.
 */
export function runProfiledCalls(kw: WasmKernels, calls: readonly ProfiledCall[], parts: readonly string[]): void {
  if (!profiling()) {
    runCalls(kw, calls.map(withBlock(0)));
    return;
  }
  const mark = kw.arena.mark();
  try {
    const blocks = calls.map(() => kw.arena.zeros(PROFILE_FLOATS));
    const onHelper = runCalls(
      kw,
      calls.map((call, i) => withBlock(blocks[i])(call)),
    );
    const buffer = (kw.memory as { buffer: ArrayBufferLike }).buffer;
    blocks.forEach((p, i) => chargeKernel(new Float64Array(buffer, p, PROFILE_FLOATS / 2), parts, i !== onHelper));
  } finally {
    kw.arena.release(mark);
  }
}

/** A profiled call with its profile block (0: not profiled) appended. */
function withBlock(block: number): (call: ProfiledCall) => KernelCall {
  return ([name, args]) => [name, [...args, block]] as unknown as KernelCall;
}

/** Splits [0, n) into the two halves the threads take (n ≥ minimum), else one range. */
export function halves(n: number, minimum: number): Array<[number, number]> {
  if (n < minimum) return [[0, n]];
  const mid = Math.ceil(n / 2);
  return [
    [0, mid],
    [mid, n],
  ];
}
