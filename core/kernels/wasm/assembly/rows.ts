/**
 * Row-wise helpers around the products: broadcast a bias, column sums (bias gradients),
 * and the sparse input side used when the input is mostly zeros (one-hot characters).
 * JS twins: core/recurrent/projection.ts (projectInputs, inputSideGrads), core/kernels/gemm.ts
 * (addColumnSums).
 */
import { clockStart, lap } from './clock';

/** dst[r, :] = v (width values) for r < rows, rows ld apart. */
export function broadcastRows(dst: usize, rows: i32, width: i32, ld: i32, v: usize): void {
  const w4 = <usize>width << 2;
  for (let r = 0; r < rows; r++) memory.copy(dst + <usize>r * (<usize>ld << 2), v, w4);
}

/**
 * out[k] += Σ_r m[r·ld + k] for k < width. Row by row, each row added into the sums in one
 * contiguous pass (rows in order, so the sum is deterministic). Each column's sum is its own, so
 * the host may give two threads a range of columns each (out, m and width of that range). prof
 * (or 0): a profile block (clock.ts), the whole call its first part.
 */
export function addColumnSums(out: usize, m: usize, rows: i32, width: i32, ld: i32, prof: usize): void {
  const clock = clockStart(prof);
  for (let r = 0; r < rows; r++) axpy(width, 1, m + ((<usize>r * <usize>ld) << 2), out);
  lap(prof, 0, clock);
}

/** out[k] = y[k] + a · x[k] for k < n (out may be y). */
@inline function axpyInto(n: i32, a: f32, x: usize, y: usize, out: usize): void {
  const va = f32x4.splat(a);
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    const o = <usize>k << 2;
    v128.store(out + o, f32x4.add(v128.load(y + o), f32x4.mul(va, v128.load(x + o))));
  }
  for (; k < n; k++) {
    const o = <usize>k << 2;
    store<f32>(out + o, load<f32>(y + o) + a * load<f32>(x + o));
  }
}

/** y[k] += a · x[k] for k < n. */
@inline function axpy(n: i32, a: f32, x: usize, y: usize): void {
  axpyInto(n, a, x, y, y);
}

/**
 * The input projection of a sparse input: Z[r, :] = bias + Σ_(k, v) in row r  v · Wt[k, :], for
 * sparse rows in compressed form (row r holds cols[rowStart[r] … rowStart[r+1]) with values
 * vals) and Z, Wt, bias of `width` columns. The bias is added as the first term's pass writes
 * the row (bias + v·w, the same sums in the same order as writing the bias first): one pass over
 * Z per one-hot row instead of two. prof (or 0): a profile block (clock.ts), the whole call its
 * first part.
 */
export function sparseRowsTimes(
  rows: i32,
  width: i32,
  bias: usize,
  rowStart: usize,
  cols: usize,
  vals: usize,
  wt: usize,
  z: usize,
  prof: usize,
): void {
  const clock = clockStart(prof);
  const w4 = <usize>width << 2;
  for (let r = 0; r < rows; r++) {
    const zr = z + <usize>r * w4;
    const start = load<i32>(rowStart + (<usize>r << 2));
    const end = load<i32>(rowStart + (<usize>(r + 1) << 2));
    if (start == end) {
      for (let k = 0; k < width; k++) store<f32>(zr + (<usize>k << 2), load<f32>(bias + (<usize>k << 2))); // the bias alone
      continue;
    }
    for (let p = start; p < end; p++) {
      const k = load<i32>(cols + (<usize>p << 2));
      axpyInto(width, load<f32>(vals + (<usize>p << 2)), wt + <usize>k * w4, p == start ? bias : zr, zr);
    }
  }
  lap(prof, 0, clock);
}

/**
 * The transpose product for the weight gradient: dWt[k, :] += v · dZ[r, :] for each stored
 * (r, k, v), over `width` columns of rows `ld` apart (in dZ and dWt alike). Rows in order, so
 * each column's sum is deterministic and the host may give two threads a range of columns each.
 * prof (or 0): a profile block (clock.ts), the whole call its first part.
 */
export function sparseRowsTransposeTimes(
  rows: i32,
  width: i32,
  ld: i32,
  rowStart: usize,
  cols: usize,
  vals: usize,
  dZ: usize,
  dwt: usize,
  prof: usize,
): void {
  const clock = clockStart(prof);
  const l4 = <usize>ld << 2;
  for (let r = 0; r < rows; r++) {
    const end = load<i32>(rowStart + (<usize>(r + 1) << 2));
    for (let p = load<i32>(rowStart + (<usize>r << 2)); p < end; p++) {
      const k = load<i32>(cols + (<usize>p << 2));
      axpy(width, load<f32>(vals + (<usize>p << 2)), dZ + <usize>r * l4, dwt + <usize>k * l4);
    }
  }
  lap(prof, 0, clock);
}

/**
 * out[k] += Σ_r a[r·lda + k] · b[r·ldb + k] for k < width: column-wise dot products (the
 * peephole gradients Σ_t,b dz ⊙ c). Rows in order, so the sum is deterministic.
 */
export function addColumnDots(out: usize, a: usize, lda: i32, b: usize, ldb: i32, rows: i32, width: i32): void {
  let k = 0;
  for (; k + 4 <= width; k += 4) {
    let s = f32x4.splat(0);
    for (let r = 0; r < rows; r++) {
      s = f32x4.add(
        s,
        f32x4.mul(
          v128.load(a + ((<usize>r * <usize>lda + <usize>k) << 2)),
          v128.load(b + ((<usize>r * <usize>ldb + <usize>k) << 2)),
        ),
      );
    }
    const q = out + (<usize>k << 2);
    v128.store(q, f32x4.add(v128.load(q), s));
  }
  for (; k < width; k++) {
    let s: f32 = 0;
    for (let r = 0; r < rows; r++)
      s +=
        load<f32>(a + ((<usize>r * <usize>lda + <usize>k) << 2)) *
        load<f32>(b + ((<usize>r * <usize>ldb + <usize>k) << 2));
    const q = out + (<usize>k << 2);
    store<f32>(q, load<f32>(q) + s);
  }
}

/**
 * dst [cols, rows] = the transpose of src [rows, cols]: W_ihᵀ for the sparse input projection,
 * one contiguous row of it per input column. JS twin: transpose in core/kernels/gemm.ts.
 */
export function transposeTo(src: usize, rows: i32, cols: i32, dst: usize): void {
  for (let c = 0; c < cols; c++) {
    const to = dst + ((<usize>c * <usize>rows) << 2);
    for (let r = 0; r < rows; r++)
      store<f32>(to + (<usize>r << 2), load<f32>(src + ((<usize>r * <usize>cols + <usize>c) << 2)));
  }
}
