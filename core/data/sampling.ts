/**
 * Drawing a class from a model's output logits z (character models, generation).
 *
 *   softmax(z, τ)_i = exp((z_i − m) / τ) / Σ_j exp((z_j − m) / τ),   m = max_j z_j
 *
 * Subtracting m changes nothing mathematically and keeps every exponent ≤ 0, so no overflow.
 * τ > 1 flattens the distribution, τ < 1 sharpens it; τ → 0 tends to the argmax, which τ = 0
 * gives exactly (the first index among equal maxima). Logits may be −Infinity (a masked
 * class, probability 0), but not NaN or +Infinity.
 *
 * Top-k sampling (Fan, Lewis & Dauphin 2018): keep the k largest logits (ties broken by lower
 * index), renormalise over them, draw.
 */
import { LstmError, checkInt, checkKeys, checkNumber, describe } from '../errors';
import { Rng } from '../random';
import { Tensor, formatShape } from '../tensor';
import { resolveRng } from './tasks/common';

/** Options of sampleLogits(): temperature, top-k, and rng or seed. */
export interface SampleOptions {
  /** τ ≥ 0 (default 1); 0 means argmax. */
  temperature?: number;
  /** Keep only the k largest logits, 1 ≤ k ≤ n (ties to the lower index). Default all n. */
  topK?: number;
  /** The generator to draw from. Default the global one (see seed()). */
  rng?: Rng;
  /**
   * Or a seed: draws from a fresh `new Rng(seed)` on every call, so a loop that passes the same seed
   * draws the same uniform each time; pass `rng` for a stream. Not with rng.
   */
  seed?: number;
}

type Logits = ArrayLike<number> | Tensor;

function values(what: string, logits: Logits): ArrayLike<number> {
  let z: ArrayLike<number>;
  if (logits instanceof Tensor) {
    if (logits.shape.length === 0 || logits.shape.slice(0, -1).some((d) => d !== 1)) {
      throw new LstmError(
        `${what}: expected one row of logits (shape [V] or [1, V]), got a Tensor of shape ${formatShape(logits.shape)}`,
      );
    }
    z = logits.data;
  } else if (logits !== null && typeof logits === 'object' && typeof logits.length === 'number') {
    z = logits;
  } else {
    throw new LstmError(`${what}: expected logits as an array of numbers or a Tensor, got ${describe(logits)}`);
  }
  if (z.length === 0) throw new LstmError(`${what}: expected at least one logit, got none`);
  let finite = false;
  for (let i = 0; i < z.length; i++) {
    const v = z[i];
    if (typeof v !== 'number' || Number.isNaN(v) || v === Infinity)
      throw new LstmError(
        `${what}: expected finite logits (or −Infinity to mask a class), got ${describe(v)} at index ${i}`,
      );
    if (v !== -Infinity) finite = true;
  }
  if (!finite) throw new LstmError(`${what}: expected at least one logit above −Infinity, got all −Infinity`);
  return z;
}

function argmax(z: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < z.length; i++) if (z[i] > z[best]) best = i;
  return best;
}

/**
 * Probabilities softmax(z / τ) = exp((z_i − m) / τ) / Σ_j exp((z_j − m) / τ), m = max z, in float64;
 * τ = 0 gives the one-hot of the argmax. Logits: an array or a Tensor [V] or [1, V]; −Infinity masks a class.
 * @example const p = softmax([2, 1, 0.1]); // ≈ [0.66, 0.24, 0.10]
 * @throws {LstmError} for no logits, a NaN or +Infinity logit, all −Infinity, a Tensor of more
 * than one row, or a temperature that is not a finite number ≥ 0.
 */
export function softmax(logits: Logits, temperature = 1): Float64Array {
  const z = values('softmax', logits);
  checkNumber('softmax: temperature', temperature, 0);
  return probabilities(z, temperature);
}

function probabilities(z: ArrayLike<number>, tau: number): Float64Array {
  const p = new Float64Array(z.length);
  if (tau === 0) {
    p[argmax(z)] = 1;
    return p;
  }
  const m = z[argmax(z)];
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    p[i] = Math.exp((z[i] - m) / tau);
    sum += p[i];
  }
  for (let i = 0; i < z.length; i++) p[i] /= sum;
  return p;
}

/**
 * An index drawn from softmax(logits / temperature), optionally over the top k only
 * (temperature 0: the argmax, nothing drawn). Logits as softmax() takes them.
 * @example const next = sampleLogits(logits, { temperature: 0.8, topK: 5, rng });
 * @throws {LstmError} for logits softmax() refuses, a temperature < 0, topK not an integer in
 * [1, n], an unknown option, or rng and seed together.
 */
export function sampleLogits(logits: Logits, options: SampleOptions = {}): number {
  checkKeys('sampleLogits', options, ['temperature', 'topK', 'rng', 'seed']);
  const z = values('sampleLogits', logits);
  const tau = checkNumber('sampleLogits: temperature', options.temperature ?? 1, 0);
  const k = options.topK === undefined ? z.length : checkInt('sampleLogits: topK', options.topK, 1, z.length);
  const rng = resolveRng('sampleLogits', options);
  if (tau === 0) return argmax(z);
  let kept: number[] | null = null;
  let zk: ArrayLike<number> = z;
  if (k < z.length) {
    kept = Array.from({ length: z.length }, (_, i) => i)
      .sort((a, b) => z[b] - z[a] || a - b)
      .slice(0, k);
    zk = kept.map((i) => z[i]);
  }
  const p = probabilities(zk, tau);
  let r = rng.random();
  let pick = p.length - 1;
  for (let i = 0; i < p.length; i++) {
    r -= p[i];
    if (r < 0) {
      pick = i;
      break;
    }
  }
  while (p[pick] === 0) pick--; // rounding left r ≥ 0: the last class with probability > 0
  return kept ? kept[pick] : pick;
}
