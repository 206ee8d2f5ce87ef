/**
 * The host's clock (milliseconds, performance.now), imported, for the bench's breakdown of a
 * step (core/kernels/phases.ts). Kernels read it only when the host gave them a profile block
 * (three f64 accumulators: packing, product, element-wise); with a 0 block they never call out.
 */
@external('env', 'now')
declare function hostNow(): f64;

/** The clock now, or 0 when the call is not profiled. */
@inline export function clockStart(prof: usize): f64 {
  return prof ? hostNow() : 0;
}

/** Adds the time since `since` to f64 slot `slot` of `prof` (when not 0); returns the clock now. */
@inline export function lap(prof: usize, slot: i32, since: f64): f64 {
  if (!prof) return 0;
  const t = hostNow();
  const p = prof + (<usize>slot << 3);
  store<f64>(p, load<f64>(p) + (t - since));
  return t;
}
