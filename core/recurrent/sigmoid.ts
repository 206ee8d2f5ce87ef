/**
 * The logistic function of the JS cells' gates, σ(z) = 1 / (1 + e^{−z}). In this form it
 * saturates cleanly at both ends: for z ≪ 0, e^{−z} overflows to ∞ and σ is exactly 0; for
 * z ≫ 0, e^{−z} vanishes and σ is 1. (The WebAssembly cells use their own polynomial one,
 * core/kernels/wasm/assembly/activations.ts.)
 */
export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}
