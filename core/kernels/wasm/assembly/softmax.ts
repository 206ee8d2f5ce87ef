/**
 * The exponentials of softmax cross-entropy over rows of logits, forward and backward. The
 * logarithm and the loss sum stay in the host (core/loss.ts, in doubles). JS twin: the loops of
 * crossEntropyLoss in core/loss.ts.
 *
 *   m_r = max_c x_rc        s_r = Σ_c exp(x_rc − m_r)        (lse_r = m_r + log s_r, host)
 *   ∂L/∂x_rc += w_r · exp((x_rc − m_r) − log s_r)            (the −w_r at c = y_r: host)
 * The gradient subtracts m_r first: x − m is exact where it matters (close values), while
 * lse_r rounded to float32 could be off by a thousandth for logits near 10⁴.
 */
import { ld, st, vexp } from './activations';
import { clockStart, lap } from './clock';

/**
 * m[r] = max of row r, s[r] = Σ exp(x − m[r]) over it, for r < N; x is (N, C) row-major. Rows are
 * independent, so the host may give two threads a range each. prof (or 0): a profile block
 * (clock.ts), the whole call its first part.
 */
export function softmaxRowStats(N: i32, C: i32, x: usize, m: usize, s: usize, prof: usize): void {
  const clock = clockStart(prof);
  for (let r = 0; r < N; r++) {
    const row = x + ((<usize>r * <usize>C) << 2);
    let mx = load<f32>(row);
    for (let c = 1; c < C; c++) mx = max(mx, load<f32>(row + (<usize>c << 2)));
    const vm = f32x4.splat(mx);
    let acc = f32x4.splat(0);
    let c = 0;
    for (; c + 4 <= C; c += 4) acc = f32x4.add(acc, vexp(f32x4.sub(v128.load(row + (<usize>c << 2)), vm)));
    let sum =
      f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
    for (; c < C; c++) sum += f32x4.extract_lane(vexp(f32x4.sub(ld(row + (<usize>c << 2), false), vm)), 0);
    store<f32>(m + (<usize>r << 2), mx);
    store<f32>(s + (<usize>r << 2), sum);
  }
  lap(prof, 0, clock);
}

/** dX[r, c] += w[r] · exp((x[r, c] − m[r]) − logS[r]) for r < N, c < C; rows independent, as above. */
export function softmaxGradRows(
  N: i32,
  C: i32,
  x: usize,
  m: usize,
  logS: usize,
  w: usize,
  dX: usize,
  prof: usize,
): void {
  const clock = clockStart(prof);
  for (let r = 0; r < N; r++) {
    const wr = load<f32>(w + (<usize>r << 2));
    if (wr == 0) continue;
    const off = (<usize>r * <usize>C) << 2;
    const vm = f32x4.splat(load<f32>(m + (<usize>r << 2)));
    const vl = f32x4.splat(load<f32>(logS + (<usize>r << 2)));
    const vw = f32x4.splat(wr);
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      const o = off + (<usize>c << 2);
      v128.store(
        dX + o,
        f32x4.add(v128.load(dX + o), f32x4.mul(vw, vexp(f32x4.sub(f32x4.sub(v128.load(x + o), vm), vl)))),
      );
    }
    for (; c < C; c++) {
      const o = off + (<usize>c << 2);
      st(
        dX + o,
        f32x4.add(ld(dX + o, false), f32x4.mul(vw, vexp(f32x4.sub(f32x4.sub(ld(x + o, false), vm), vl)))),
        false,
      );
    }
  }
  lap(prof, 0, clock);
}
