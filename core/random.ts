/**
 * Seeded randomness. Every random choice in the core (initialisation, dropout masks, data
 * generators, shuffling, sampling) draws from an `Rng`; by default the global one, which
 * `seed(n)` resets. Same seed, bit-identical results, on every platform: only 32-bit integer
 * arithmetic (Math.imul) and IEEE doubles are used, never Math.random.
 *
 * Generator: xoshiro128** (Blackman & Vigna 2018), state filled by splitmix32 from the seed.
 */
import { checkInt, checkNumber, LstmError } from './errors';

/**
 * A seeded random generator (xoshiro128**): same seed, bit-identical draws on every platform.
 * Pass one as `rng` to models, datasets, train() or sampleLogits() for a stream of their own;
 * without one they draw from the global generator that seed() resets.
 * @example const rng = new Rng(42); const u = rng.uniform(-1, 1);
 * @throws {LstmError} (constructor) for a seed that is not an integer in [0, 2^53 − 1]. Default seed 0.
 */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;

  constructor(seed = 0) {
    this.reseed(seed);
  }

  /**
   * Restarts the stream from `seed`, as `new Rng(seed)` would.
   * @throws {LstmError} for a seed that is not an integer in [0, 2^53 − 1].
   */
  reseed(seed: number): void {
    checkInt('seed', seed, 0, 2 ** 53 - 1);
    // splitmix32 over the low and high words so that seeds above 2^32 still differ.
    let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / 2 ** 32) >>> 0, 0x9e3779b9);
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    this.spare = null;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.random();
  }

  /** A draw from N(mean, std²) (defaults 0 and 1) by Box–Muller; the second value of each pair is kept for the next call. */
  normal(mean = 0, std = 1): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /**
   * Uniform integer in [0, n). Rejection sampling, so no modulo bias.
   * @throws {LstmError} unless n is an integer in [1, 2^32].
   */
  int(n: number): number {
    checkInt('Rng.int: n', n, 1, 2 ** 32);
    const limit = 2 ** 32 - (2 ** 32 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /**
   * True with probability p.
   * @throws {LstmError} unless p is a number in [0, 1].
   */
  bernoulli(p: number): boolean {
    checkNumber('Rng.bernoulli: p', p, 0, 1);
    return this.random() < p;
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /**
   * An index drawn from unnormalised non-negative weights: i with probability w_i / Σ w.
   * @example const next = rng.categorical([0.1, 0.7, 0.2]);
   * @throws {LstmError} for a negative or non-finite weight, or when all weights are zero.
   */
  categorical(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      if (!(weights[i] >= 0) || !Number.isFinite(weights[i])) {
        throw new LstmError(`Rng.categorical: expected finite non-negative weights, got ${weights[i]} at index ${i}`);
      }
      total += weights[i];
    }
    if (!(total > 0)) throw new LstmError('Rng.categorical: expected at least one positive weight, got all zeros');
    let r = this.random() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
    return weights.length - 1;
  }

  /** A new generator whose stream is fixed by this one's next draw (for independent streams). */
  fork(): Rng {
    return new Rng(this.nextUint32() * 2097152 + (this.nextUint32() >>> 11));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The generator used wherever no `rng` is passed. Deterministic from start-up (seed 0). */
export const globalRng = new Rng(0);

/**
 * Resets the global generator: after `seed(n)`, the same code gives bit-identical results.
 * @example seed(42); const model = new LSTM({ inputSize: 2, hiddenSize: 16 });
 * @throws {LstmError} for a seed that is not an integer in [0, 2^53 − 1].
 */
export function seed(n: number): void {
  globalRng.reseed(n);
}
