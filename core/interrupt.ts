/**
 * How a host stops a long core call and keeps every variable: it installs a check
 * (setInterruptCheck) that throws when the user asked to stop, and the core calls it at safe
 * points — between batches of evaluate, between layers and every few hundred time steps of a
 * forward or backward pass, between samples of a data set builder, between entries of a
 * gradient check. A point is safe when nothing is half-written that a later call would read:
 * parameters change only in an optimizer step, which is never interrupted midway.
 *
 * The core itself never stops anything: with no check installed, pollInterrupt does nothing.
 */
let installed: (() => void) | null = null;

/** Installs (or, with null, removes) the check; it should throw to stop the running call. */
export function setInterruptCheck(check: (() => void) | null): void {
  installed = check;
}

/** Calls the installed check, if any. Cheap enough for every few hundred steps of a loop. */
export function pollInterrupt(): void {
  if (installed !== null) installed();
}

/** Time steps a recurrent pass runs between two polls. */
export const STEPS_PER_POLL = 128;
