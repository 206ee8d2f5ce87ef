/**
 * The rows a loss chart draws, kept bounded however long training runs. A 640-pixel chart
 * cannot show 100,000 points, and drawing (and tooltip-encoding) them all takes seconds; so
 * each series is cut into at most `maxBuckets` consecutive buckets of `w` points, and a bucket
 * draws only its lowest and its highest raw point (spikes stay visible). `w` starts at 1, so
 * short series are drawn exactly, and doubles (neighbouring buckets merge) when a series
 * outgrows the budget.
 *
 * Smoothing is TensorBoard's debiased exponential moving average, over every point:
 *   m_k = β m_{k−1} + (1 − β) y_k,  m_{−1} = 0,   smooth_k = m_k / (1 − β^(k+1))
 * (the division removes the pull towards the zero start). Non-finite losses are skipped.
 *
 * Points arrive in order (a live chart appends); `append` says which rows to replace, so the
 * renderer can update its view in place instead of rebuilding it.
 */

export interface LossPoint {
  series: string;
  /** Bucket of the point within its series: what a live update replaces. */
  bucket: number;
  x: number;
  y: number;
  smooth: number;
}

/** 2,048 buckets: up to 4,096 rows per series; series up to 2,048 points are drawn exactly. */
export const MAX_BUCKETS = 2048;

interface Bucket {
  lo: LossPoint;
  hi: LossPoint;
}

interface SeriesState {
  /** Points per bucket (a power of two). */
  w: number;
  /** Points seen, finite or not: the index of the next one. */
  count: number;
  /** Running moving average and the number of finite points in it. */
  m: number;
  n: number;
  buckets: Array<Bucket | undefined>;
}

/** What changed in one series: remove its rows from `fromBucket` on, then insert `insert`. */
export interface RowsChange {
  series: string;
  fromBucket: number;
  insert: LossPoint[];
}

export class LossRows {
  private readonly states = new Map<string, SeriesState>();

  constructor(
    readonly beta: number,
    readonly maxBuckets = MAX_BUCKETS,
  ) {
    if (!(beta >= 0 && beta < 1)) throw new RangeError(`smoothing must be in [0, 1), got ${beta}`);
    if (!Number.isInteger(maxBuckets) || maxBuckets < 1)
      throw new RangeError(`maxBuckets must be a positive integer, got ${maxBuckets}`);
  }

  /** Points seen so far of `series` (the index the next appended point gets). */
  count(series: string): number {
    return this.states.get(series)?.count ?? 0;
  }

  /** Adds points xs[from…], ys[from…] to the end of `series`. */
  append(series: string, xs: readonly number[], ys: readonly number[], from = 0): RowsChange {
    let s = this.states.get(series);
    if (!s) this.states.set(series, (s = { w: 1, count: 0, m: 0, n: 0, buckets: [] }));
    let fromBucket = Math.floor(s.count / s.w);
    for (let k = from; k < xs.length; k++) {
      const index = s.count++;
      const y = ys[k];
      if (!Number.isFinite(y)) continue;
      s.m = this.beta * s.m + (1 - this.beta) * y;
      s.n++;
      const smooth = this.beta > 0 ? s.m / (1 - this.beta ** s.n) : y;
      const b = Math.floor(index / s.w);
      const point: LossPoint = { series, bucket: b, x: xs[k], y, smooth };
      const bucket = s.buckets[b];
      if (!bucket) s.buckets[b] = { lo: point, hi: point };
      else if (y < bucket.lo.y) bucket.lo = point;
      else if (y > bucket.hi.y) bucket.hi = point;
    }
    while (s.buckets.length > this.maxBuckets) {
      s.w *= 2;
      s.buckets = mergePairs(s.buckets);
      fromBucket = 0;
    }
    return { series, fromBucket, insert: rowsOf(s.buckets, fromBucket) };
  }

  /** Every row, series after series, in x order within each. */
  rows(): LossPoint[] {
    return [...this.states.values()].flatMap((s) => rowsOf(s.buckets, 0));
  }
}

function mergePairs(buckets: Array<Bucket | undefined>): Array<Bucket | undefined> {
  const merged: Array<Bucket | undefined> = [];
  for (let j = 0; 2 * j < buckets.length; j++) {
    const a = buckets[2 * j];
    const b = buckets[2 * j + 1];
    merged[j] = !a ? b : !b ? a : { lo: b.lo.y < a.lo.y ? b.lo : a.lo, hi: b.hi.y > a.hi.y ? b.hi : a.hi };
  }
  return merged;
}

/** The rows of buckets[from…]: the lowest and highest point of each, in x order, as fresh objects. */
function rowsOf(buckets: Array<Bucket | undefined>, from: number): LossPoint[] {
  const out: LossPoint[] = [];
  for (let b = from; b < buckets.length; b++) {
    const bucket = buckets[b];
    if (!bucket) continue;
    const { lo, hi } = bucket;
    const pair = lo === hi ? [lo] : lo.x <= hi.x ? [lo, hi] : [hi, lo];
    for (const p of pair) out.push({ ...p, bucket: b });
  }
  return out;
}
