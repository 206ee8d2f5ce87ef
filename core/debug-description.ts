/**
 * VS Code's JavaScript debugger (js-debug) describes an object by calling its
 * `[Symbol.for('debug.description')]()` when it has one, in the variables view, hovers and the
 * debug console. So a paused cell shows `Tensor [5, 1, 2] float32 [0.1234, -1.2000, …]` and
 * `LSTM(2 → 4)` instead of `Tensor {data: Float32Array(10), …}`. `Symbol.for` keys live in one
 * registry shared by every realm, so the kernel's vm context and the debugger agree on it.
 */
export const DEBUG_DESCRIPTION: unique symbol = Symbol.for('debug.description');

/** Node's util.inspect (console.log) calls an object's `[Symbol.for('nodejs.util.inspect.custom')]()`. */
export const INSPECT: unique symbol = Symbol.for('nodejs.util.inspect.custom');

/** How many leading values a tensor's one-line description shows. */
const SHOWN = 6;

/** `[0.1234, -1.2000, nan, inf, 1.2346e+05, …]`: 4 decimals, scientific outside [1e-4, 1e4). */
export function leadingValues(data: ArrayLike<number>): string {
  const shown: string[] = [];
  for (let i = 0; i < Math.min(SHOWN, data.length); i++) shown.push(formatValue(data[i]));
  if (data.length > SHOWN) shown.push('…');
  return `[${shown.join(', ')}]`;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const magnitude = Math.abs(v);
  return magnitude !== 0 && (magnitude < 1e-4 || magnitude >= 1e4) ? v.toExponential(4) : v.toFixed(4);
}
