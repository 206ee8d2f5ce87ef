/**
 * Learning-rate schedules as pure functions of the step: `schedule(step, baseLr)` is the rate
 * for the optimizer step that follows `step` completed steps (0 for the first). train() sets
 * `optimizer.lr = schedule(step, baseLr)` before each step. The values are torch's closed forms:
 *
 *   stepDecay  γ_s = γ₀ · gamma^⌊s / every⌋                              (StepLR)
 *   cosine     γ_s = min + (γ₀ − min) (1 + cos(π s / total)) / 2          (CosineAnnealingLR)
 *   warmup     γ_s = γ₀ (start + (1 − start) s / steps)   for s < steps   (LinearLR)
 *              then(s − steps, γ₀) afterwards (γ₀ when no `then`)        (SequentialLR)
 */
import { LstmError, checkInt, checkKeys, checkNumber, describe } from './errors';

/**
 * A learning-rate schedule: the rate for the step that follows `step` completed steps (0 for
 * the first), given the optimizer's base rate. Pass one to train() as `schedule`.
 */
export type Schedule = (step: number, baseLr: number) => number;

/**
 * Multiplies the rate by `gamma` every `every` steps (torch's StepLR): γ_s = γ₀ · gamma^⌊s / every⌋.
 * @example const schedule = stepDecay({ every: 100, gamma: 0.5 });
 * @throws {LstmError} unless every is an integer ≥ 1 and gamma a finite number ≥ 0; the schedule
 * itself refuses a step that is not an integer ≥ 0 or a negative baseLr.
 */
export function stepDecay(options: { every: number; gamma: number }): Schedule {
  checkKeys('stepDecay', options, ['every', 'gamma']);
  const every = checkInt('stepDecay: every', options?.every, 1);
  const gamma = checkNumber('stepDecay: gamma', options.gamma, 0);
  return (step, baseLr) => {
    checkArgs('stepDecay', step, baseLr);
    return baseLr * gamma ** Math.floor(step / every);
  };
}

/**
 * Cosine annealing from the base rate down to `min` (default 0) over `total` steps. As torch's
 * CosineAnnealingLR, the curve continues past `total`: it rises again, with period 2·total.
 *   γ_s = min + (γ₀ − min) (1 + cos(π s / total)) / 2
 * @example const schedule = cosine({ total: 1000 });
 * @throws {LstmError} unless total is an integer ≥ 1 and min a finite number ≥ 0.
 */
export function cosine(options: { total: number; min?: number }): Schedule {
  checkKeys('cosine', options, ['total', 'min']);
  const total = checkInt('cosine: total', options?.total, 1);
  const min = checkNumber('cosine: min', options.min ?? 0, 0);
  return (step, baseLr) => {
    checkArgs('cosine', step, baseLr);
    return min + ((baseLr - min) * (1 + Math.cos((Math.PI * step) / total))) / 2;
  };
}

/**
 * Linear warm-up over `steps` steps from `start` × base (default 0) to the base rate, then
 * `then` (with its step counted from the end of the warm-up) or the base rate.
 *   γ_s = γ₀ (start + (1 − start) s / steps)   for s < steps
 * @example const schedule = warmup({ steps: 100, then: cosine({ total: 900 }) });
 * @throws {LstmError} unless steps is an integer ≥ 1, start a number in [0, 1] and then a function.
 */
export function warmup(options: { steps: number; start?: number; then?: Schedule }): Schedule {
  checkKeys('warmup', options, ['steps', 'start', 'then']);
  const steps = checkInt('warmup: steps', options?.steps, 1);
  const start = checkNumber('warmup: start', options.start ?? 0, 0, 1);
  const then = options.then;
  if (then !== undefined && typeof then !== 'function') {
    throw new LstmError(`warmup: then expected a schedule such as cosine({ total: 1000 }), got ${describe(then)}`);
  }
  return (step, baseLr) => {
    checkArgs('warmup', step, baseLr);
    if (step < steps) return baseLr * (start + ((1 - start) * step) / steps);
    return then ? then(step - steps, baseLr) : baseLr;
  };
}

function checkArgs(what: string, step: number, baseLr: number): void {
  checkInt(`${what}: step`, step, 0);
  checkNumber(`${what}: baseLr`, baseLr, 0);
}
