/**
 * Gradient norms and clipping over a list of parameters, torch.nn.utils semantics (torch 1.13).
 * Parameters without a gradient buffer are skipped. The norm is taken over all gradients as if
 * concatenated into one vector:
 *
 *   ‖g‖_p = (Σ |g_k|^p)^{1/p}         ‖g‖_∞ = max |g_k|
 *   clipGradNorm: c = maxNorm / (‖g‖ + 1e-6); if c < 1, every g_k ← c g_k
 *   clipGradValue: g_k ← min(max(g_k, −v), v)
 */
import { LstmError, checkNumber, describe } from './errors';
import { Tensor } from './tensor';

/**
 * The norm of all gradients together, as if concatenated: ‖g‖_p = (Σ |g_k|^p)^{1/p} (2-norm
 * unless told; Infinity for the max norm). Parameters without a gradient buffer are skipped.
 * @example const norm = gradNorm(parametersOf(model));
 * @throws {LstmError} when params is not an array of Tensors or normType is not a number > 0 or Infinity.
 */
export function gradNorm(params: readonly Tensor[], normType = 2): number {
  checkParams('gradNorm', params);
  return totalNorm(params, checkNormType('gradNorm', normType));
}

/**
 * Scales all gradients together so that their norm is at most `maxNorm`; returns the norm
 * before clipping. As torch (error_if_nonfinite=False), a non-finite norm is not an error: the
 * scale becomes 0 or NaN. train() checks the norm before it clips.
 *   c = maxNorm / (‖g‖ + 1e-6); if c < 1, every g_k ← c g_k
 * @example const before = clipGradNorm(parametersOf(model), 1);
 * @throws {LstmError} when params is not an array of Tensors, maxNorm is not a finite number ≥ 0,
 * or normType is not a number > 0 or Infinity.
 */
export function clipGradNorm(params: readonly Tensor[], maxNorm: number, normType = 2): number {
  checkParams('clipGradNorm', params);
  checkNumber('clipGradNorm: maxNorm', maxNorm, 0);
  const total = totalNorm(params, checkNormType('clipGradNorm', normType));
  const coef = maxNorm / (total + 1e-6);
  if (!(coef >= 1)) {
    for (const p of params) {
      const g = p.grad;
      if (g) for (let k = 0; k < g.length; k++) g[k] *= coef;
    }
  }
  return total;
}

/**
 * Clamps every gradient entry to [−clipValue, clipValue] (NaN stays NaN).
 * @example clipGradValue(parametersOf(model), 0.5);
 * @throws {LstmError} when params is not an array of Tensors or clipValue is not a finite number ≥ 0.
 */
export function clipGradValue(params: readonly Tensor[], clipValue: number): void {
  checkParams('clipGradValue', params);
  const v = checkNumber('clipGradValue: clipValue', clipValue, 0);
  for (const p of params) {
    const g = p.grad;
    if (!g) continue;
    for (let k = 0; k < g.length; k++) {
      const x = g[k];
      if (x > v) g[k] = v;
      else if (x < -v) g[k] = -v;
    }
  }
}

function totalNorm(params: readonly Tensor[], p: number): number {
  if (p === Infinity) {
    let m = 0;
    for (const t of params) {
      const g = t.grad;
      if (!g) continue;
      for (let k = 0; k < g.length; k++) {
        const a = Math.abs(g[k]);
        if (!(a <= m)) m = a; // NaN propagates
      }
    }
    return m;
  }
  let s = 0;
  if (p === 2) {
    for (const t of params) {
      const g = t.grad;
      if (g) for (let k = 0; k < g.length; k++) s += g[k] * g[k];
    }
    // Squares that overflow (or all underflow) are redone scaled by the largest entry.
    if (s === Infinity || (s === 0 && totalNorm(params, Infinity) > 0)) return scaledNorm(params, p);
    return Math.sqrt(s);
  }
  if (p === 1) {
    for (const t of params) {
      const g = t.grad;
      if (g) for (let k = 0; k < g.length; k++) s += Math.abs(g[k]);
    }
    return s;
  }
  for (const t of params) {
    const g = t.grad;
    if (g) for (let k = 0; k < g.length; k++) s += Math.abs(g[k]) ** p;
  }
  if (s === Infinity || (s === 0 && totalNorm(params, Infinity) > 0)) return scaledNorm(params, p);
  return s ** (1 / p);
}

/** ‖g‖_p = M ‖g / M‖_p with M = max |g_k|: no overflow or underflow of the powers. */
function scaledNorm(params: readonly Tensor[], p: number): number {
  const M = totalNorm(params, Infinity);
  if (M === 0 || !Number.isFinite(M)) return M;
  let s = 0;
  for (const t of params) {
    const g = t.grad;
    if (g) for (let k = 0; k < g.length; k++) s += (Math.abs(g[k]) / M) ** p;
  }
  return M * s ** (1 / p);
}

function checkParams(what: string, params: unknown): void {
  if (!Array.isArray(params))
    throw new LstmError(
      `${what}: expected an array of parameter Tensors (e.g. parametersOf(model)), got ${describe(params)}`,
    );
  for (let i = 0; i < params.length; i++) {
    if (!(params[i] instanceof Tensor))
      throw new LstmError(`${what}: expected an array of parameter Tensors, got ${describe(params[i])} at index ${i}`);
  }
}

function checkNormType(what: string, p: unknown): number {
  if (p === Infinity) return p;
  if (typeof p !== 'number' || !Number.isFinite(p) || p <= 0)
    throw new LstmError(`${what}: normType expected a number > 0 or Infinity, got ${describe(p)}`);
  return p;
}
