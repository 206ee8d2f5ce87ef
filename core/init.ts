/**
 * Weight initialisers. All draw from an `Rng` (the global one by default), so `seed(n)`
 * fixes them.
 *
 * - uniform(±1/√H): PyTorch's default for nn.RNN / nn.LSTM / nn.GRU (every weight and bias).
 * - Glorot/Xavier uniform: U(±√(6 / (fanIn + fanOut))) (Glorot & Bengio 2010).
 * - orthogonal: Q of the QR decomposition of a Gaussian matrix, signs fixed by diag(R)
 *   (Saxe et al. 2014), applied per gate block of a recurrent matrix.
 */
import type { FloatArray } from './dtype';
import { LstmError, describe } from './errors';
import { Rng, globalRng } from './random';

export type WeightInit = 'pytorch' | 'glorot' | 'orthogonal';

export function fillUniform(
  out: FloatArray,
  low: number,
  high: number,
  rng: Rng = globalRng,
  off = 0,
  len = out.length - off,
): void {
  for (let i = off; i < off + len; i++) out[i] = rng.uniform(low, high);
}

/** Glorot/Xavier uniform for a [rows, cols] block starting at `off`: fanIn = cols, fanOut = rows. */
export function fillGlorot(out: FloatArray, rows: number, cols: number, rng: Rng = globalRng, off = 0): void {
  const a = Math.sqrt(6 / (rows + cols));
  fillUniform(out, -a, a, rng, off, rows * cols);
}

/**
 * An orthogonal [n, n] block at `off` with row stride n: Gram–Schmidt (modified, twice for
 * stability) on the rows of a Gaussian matrix, which equals QR with positive diag(R).
 */
export function fillOrthogonal(out: FloatArray, n: number, rng: Rng = globalRng, off = 0, gain = 1): void {
  const q = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) q[i] = rng.normal();
  for (let i = 0; i < n; i++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < i; j++) {
        let dot = 0;
        for (let k = 0; k < n; k++) dot += q[i * n + k] * q[j * n + k];
        for (let k = 0; k < n; k++) q[i * n + k] -= dot * q[j * n + k];
      }
    }
    let norm = 0;
    for (let k = 0; k < n; k++) norm += q[i * n + k] * q[i * n + k];
    norm = Math.sqrt(norm);
    if (!(norm > 1e-12))
      throw new LstmError(`orthogonal init: degenerate random matrix of size ${n}; try another seed`);
    for (let k = 0; k < n; k++) {
      q[i * n + k] /= norm; // later rows are projected against unit rows
      out[off + i * n + k] = gain * q[i * n + k];
    }
  }
}

export function checkInit(what: string, init: unknown): WeightInit {
  if (init !== 'pytorch' && init !== 'glorot' && init !== 'orthogonal') {
    throw new LstmError(`${what}: expected "pytorch", "glorot" or "orthogonal", got ${describe(init)}`);
  }
  return init;
}
