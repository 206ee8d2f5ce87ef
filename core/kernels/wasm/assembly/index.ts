/**
 * The WebAssembly kernels of the core (AssemblyScript, SIMD128): the entry point the build
 * compiles (scripts/build-wasm.mjs). Pointers are byte offsets into the memory the host
 * imports; every array is f32 unless named otherwise. Host side: core/kernels/wasm/runtime.ts
 * (loading, memory) and the files beside it.
 */
export { packA, packB, gemmPacked, gemmRows } from './gemm';
export { sigmoidArray, tanhArray, expArray } from './activations';
export { lstmForwardSeq, lstmBackwardSeq } from './lstm';
export { gruForwardSeq, gruBackwardSeq } from './gru';
export { rnnForwardSeq, rnnBackwardSeq } from './rnn';
export { softmaxRowStats, softmaxGradRows } from './softmax';
export {
  broadcastRows,
  addColumnSums,
  addColumnDots,
  sparseRowsTimes,
  sparseRowsTransposeTimes,
  transposeTo,
} from './rows';

/** Where the host may start allocating: after the kernels' own static scratch. */
export function heapBase(): usize {
  return __heap_base;
}
