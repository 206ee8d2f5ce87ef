/**
 * Where a training step's time goes, phase by phase: the bench's breakdown of a step (npm run
 * bench). Off unless a host hands it a clock — then every phase boundary costs one null check,
 * and the kernels skip their own clock reads (they get a 0 profile block).
 *
 * Times are thread-milliseconds, summed over the engine's two threads:
 *  - JS phases (`inPhase`) are the main thread's wall time, exclusive: a nested phase stops its
 *    parent's clock, so nothing is counted twice;
 *  - a WebAssembly kernel given a profile block reads the host's clock itself between its
 *    parts (packing, product, element-wise work) and adds each part to the block; the host
 *    charges those parts to named phases (`chargeKernel`) whichever thread ran the call, and
 *    takes the main thread's share back out of the enclosing JS phase, which had counted it
 *    as wall time;
 *  - the main thread waiting for the helper is its own phase, 'thread waits'.
 */

/** The host's clock in milliseconds (performance.now), or null when profiling is off. */
let clock: (() => number) | null = null;
const totals = new Map<string, number>();
/** Of those, the helper thread's kernel time. */
let helperMs = 0;
/** The innermost open phase and when its clock last started. */
let current: string | null = null;
let since = 0;
const open: Array<string | null> = [];

/** Starts (with a clock) or stops (null) the accounting; either way the totals start from zero. */
export function profilePhases(now: (() => number) | null): void {
  clock = now;
  totals.clear();
  helperMs = 0;
  current = null;
  open.length = 0;
}

/** Whether a clock is set: callers allocate profile blocks only then. */
export function profiling(): boolean {
  return clock !== null;
}

/** The host clock for the kernels' import (0 when off: they never read it then). */
export function phaseClock(): number {
  return clock ? clock() : 0;
}

/** Thread-ms per phase since profilePhases(clock) or the last take, and how much of it the helper thread ran; then zeroed. */
export function takePhaseTotals(): { phases: Record<string, number>; helperMs: number } {
  const out = { phases: Object.fromEntries(totals), helperMs };
  totals.clear();
  helperMs = 0;
  return out;
}

function charge(name: string, ms: number): void {
  totals.set(name, (totals.get(name) ?? 0) + ms);
}

/** Runs `body` as phase `name` (nested phases pause it). */
export function inPhase<T>(name: string, body: () => T): T {
  if (!clock) return body();
  const t0 = clock();
  if (current !== null) charge(current, t0 - since);
  open.push(current);
  current = name;
  since = t0;
  try {
    return body();
  } finally {
    const t1 = clock();
    charge(name, t1 - since);
    current = open.pop() ?? null;
    since = t1;
  }
}

/** Floats (f32 slots) of a kernel's profile block: three f64 accumulators. */
export const PROFILE_FLOATS = 6;

/**
 * Charges a kernel's profile block — f64 ms of its parts, in the order of `parts` — to those
 * phases ('' means the enclosing phase). When the main thread ran the call, the enclosing JS
 * phase already holds that time as wall time: it is moved, not added.
 */
export function chargeKernel(block: Float64Array, parts: readonly string[], onMainThread: boolean): void {
  if (!clock) return;
  let sum = 0;
  parts.forEach((name, i) => {
    sum += block[i];
    charge(name === '' ? (current ?? 'unnamed') : name, block[i]);
  });
  if (!onMainThread) helperMs += sum;
  else if (current !== null) charge(current, -sum);
}
