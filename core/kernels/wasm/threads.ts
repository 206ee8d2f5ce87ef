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
 */
import { LstmError } from '../../errors';
import type { KernelName, WasmKernels } from './runtime';
import { CONTROL_WORDS, wasmKernels } from './runtime';

/** Word indices of the control block. */
export const Slot = { State: 0, Kernel: 1, Count: 2, Args: 3 } as const;
/** Values of its State word. */
export const State = { Idle: 0, Posted: 1, Running: 2, Done: 3, Failed: 4, TakenBack: 5 } as const;

/** The order in which both threads number the kernels a helper may run. */
const HELPER_KERNELS: readonly KernelName[] = [
  'gemmRows',
  'lstmForwardSeq',
  'lstmBackwardSeq',
  'gruForwardSeq',
  'gruBackwardSeq',
  'rnnForwardSeq',
  'rnnBackwardSeq',
  'sparseRowsTimes',
];

export type KernelCall = readonly [KernelName, readonly number[]];

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
  (k[call[0]] as (...args: number[]) => void)(...call[1]);
}

/**
 * Runs the calls on `kw`, which must touch disjoint outputs: the first on the helper thread
 * when one serves `kw`, the rest here, and returns when all are done.
 */
export function runCalls(kw: WasmKernels, calls: readonly KernelCall[]): void {
  if (helperOf !== kw || calls.length < 2) {
    for (const c of calls) run(kw, c);
    return;
  }
  const ctrl = new Int32Array((kw.memory as { buffer: ArrayBufferLike }).buffer, kw.control, CONTROL_WORDS);
  const [first, ...rest] = calls;
  const index = HELPER_KERNELS.indexOf(first[0]);
  if (index < 0 || first[1].length > CONTROL_WORDS - Slot.Args || Atomics.load(ctrl, Slot.State) !== State.Idle) {
    for (const c of calls) run(kw, c);
    return;
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
  for (;;) {
    const s: number = Atomics.load(ctrl, Slot.State);
    if (s === State.Done) {
      stats.helper++;
      break;
    }
    if (s === State.Failed) {
      failure ??= new LstmError(`WebAssembly engine: the helper thread failed running ${first[0]}`);
      break;
    }
    if (
      s === State.Posted &&
      Atomics.compareExchange(ctrl, Slot.State, State.Posted, State.TakenBack) === State.Posted
    ) {
      // The helper has not picked it up (starting, or gone): run it here.
      stats.takenBack++;
      if (failure === null) run(kw, first);
      break;
    }
    Atomics.wait(ctrl, Slot.State, s, 100);
  }
  Atomics.store(ctrl, Slot.State, State.Idle);
  if (failure !== null) throw failure;
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
