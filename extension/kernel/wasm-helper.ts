/**
 * The second thread of the core's WebAssembly engine (core/kernels/wasm/threads.ts): a worker
 * that instantiates the same module on the same shared memory and runs the kernel calls the
 * first thread posts in the control block. It never allocates and never touches JS objects
 * of the kernel, so it needs none of the core — its whole program is the string below.
 *
 * Started by the kernel worker (worker.ts) and by benches and tests; LSTM_NOTEBOOK_THREADS=1
 * keeps the engine on one thread. Results are the same either way (threads.ts says why).
 */
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { detachHelper, helperHandle, relaxedSimdSupported, Slot, State } from '../../core/host';

const PROGRAM = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, kernels, words, slot, state } = workerData;
// The clock is read only by profiled calls (the bench's breakdown, core/kernels/phases.ts).
const exports = new WebAssembly.Instance(module, { env: { memory, now: () => performance.now() } }).exports;
const fns = kernels.map((name) => exports[name]);
const ctrl = new Int32Array(memory.buffer, control, words);
for (;;) {
  const s = Atomics.load(ctrl, slot.State);
  if (s === state.Posted && Atomics.compareExchange(ctrl, slot.State, state.Posted, state.Running) === state.Posted) {
    const args = [];
    for (let i = 0; i < ctrl[slot.Count]; i++) args.push(ctrl[slot.Args + i]);
    try {
      fns[ctrl[slot.Kernel]](...args);
      Atomics.store(ctrl, slot.State, state.Done);
    } catch {
      Atomics.store(ctrl, slot.State, state.Failed);
    }
    Atomics.notify(ctrl, slot.State);
  } else {
    Atomics.wait(ctrl, slot.State, s);
  }
}
`;

/**
 * Lets Node 20 run the kernels' relaxed-SIMD build (fused multiply-add; Node ≥ 22 accepts it
 * as is): V8 has it behind a flag there. Call before the engine's first use.
 */
export function enableRelaxedSimd(): void {
  if (!relaxedSimdSupported()) setFlagsFromString('--experimental-wasm-relaxed-simd');
}

/**
 * Starts the helper thread unless LSTM_NOTEBOOK_THREADS=1 or WebAssembly cannot run here;
 * returns it (unref'd: it never keeps the process alive), or null.
 */
export function startWasmHelper(env: NodeJS.ProcessEnv = process.env): Worker | null {
  if (env.LSTM_NOTEBOOK_THREADS === '1') return null;
  const handle = helperHandle();
  if (!handle) return null;
  const worker = new Worker(PROGRAM, { eval: true, workerData: { ...handle, slot: Slot, state: State } });
  worker.unref();
  const gone = (): void => detachHelper();
  worker.on('error', gone);
  worker.on('exit', gone);
  return worker;
}
