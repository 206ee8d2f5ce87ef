/**
 * What hosts of the core use — the kernel worker, the headless runner, the bench and tests —
 * and notebook cells do not (their API is index.ts): starting the WebAssembly engine's helper
 * thread, reading the engine's memory use, the interrupt check long core calls poll, the
 * compiled kernels themselves and running two calls at once (the bench times the gemm alone, on
 * one thread and on both), and the core's argument checks
 * (plot.* and the kernel word their errors as the core does), and how values describe
 * themselves to the debugger (the variables view describes them the same way).
 */
export { helperHandle, detachHelper, threadStats, runCalls, Slot, State } from './kernels/wasm/threads';
export type { HelperHandle, KernelCall } from './kernels/wasm/threads';
export { packedASize, packedBSize } from './kernels/wasm/products';
export { setEngine, getEngine } from './kernels/engine';
export { setInterruptCheck } from './interrupt';
export { profilePhases, takePhaseTotals } from './kernels/phases';
export type { Engine } from './kernels/engine';
export { wasmMemoryUse, relaxedSimdSupported, wasmKernels } from './kernels/wasm/runtime';
export type { KernelBuild, KernelExports } from './kernels/wasm/runtime';
export { checkInt, checkKeys, checkNumber, describe } from './errors';
export { checkTrain, unpackTrainable } from './train';
export { alignedText } from './format/aligned-text';
export { sweepTable } from './format/sweep';
export { median } from './sweep-results';
export { DEBUG_DESCRIPTION, leadingValues } from './debug-description';
