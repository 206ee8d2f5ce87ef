/**
 * Interventions: units of one layer and direction held at fixed values inside the recurrence,
 * so that what the rest of the network does without them can be looked at (ablation, Karpathy
 * et al. 2015; LSTMVis). A fixed quantity q of unit j at every step:
 *
 *   q_t[j] = v_j        q ∈ {a gate (i, f, g, o; r, z, n), c, h}
 *
 * replaces the computed value where it is made, so the next step, the layers above, the output,
 * traces and the loss all see v_j. v_j is 0 ('zero'), a given value ('clamp'), or the unit's
 * mean over a reference input ('mean', mean ablation). A fixed value is a constant: no gradient
 * flows through it (∂q_t[j]/∂θ = 0), which the cell loops' backward passes respect.
 */
import type { DType } from '../dtype';
import { LstmError, checkInt, checkKeys, describe } from '../errors';
import type { UnitOverride, UnitOverrides } from './run';
import type { Trace } from './trace';

/** How an intervention sets its units: to 0, to `value`, or to their mean over a reference input. */
export type InterventionMode = 'zero' | 'clamp' | 'mean';

/** What model.intervene() takes. */
export interface InterventionOptions {
  /**
   * The quantity to fix: a gate key of the trace (LSTM i, f, g, o; GRU r, z, n), 'c' (LSTM) or 'h'.
   * Needed unless `units` is a selection that names it.
   */
  on?: string;
  /**
   * Unit indices in [0, H), or a selection that carries them (plot.selection(), selectUnits()):
   * its layer, direction and quantity are then the defaults of the options here.
   */
  units: readonly number[] | UnitsCarrier;
  /** The layer k, 0 at the input. Default 0 (or the selection's). */
  layer?: number;
  /** 'forward' (default) or, for a bidirectional model, 'reverse'. */
  direction?: 'forward' | 'reverse';
  /** 'zero' (default), 'clamp' (to `value`) or 'mean' (to the mean over `over`). */
  mode?: InterventionMode;
  /** 'clamp': one value for every unit, or one per unit. */
  value?: number | readonly number[];
  /** 'mean': the reference input whose per-unit mean is used; default the model's last input. */
  over?: unknown;
}

/** A selection of units (plot.selection(), selectUnits()): what intervene() reads from it. */
export interface UnitsCarrier {
  /** The unit indices. */
  units: readonly number[];
  /** The layer they are in. */
  layer?: number;
  /** 'forward' or 'reverse'. */
  direction?: 'forward' | 'reverse';
  /** The quantity they were selected in (a gate key, 'c' or 'h'). */
  on?: string;
}

const KEYS = ['on', 'units', 'layer', 'direction', 'mode', 'value', 'over'];
const MODES: readonly InterventionMode[] = ['zero', 'clamp', 'mean'];

/** One active intervention; remove() undoes it. Made by model.intervene(). */
export class Intervention {
  private removed = false;

  constructor(
    /** The layer k. */
    readonly layer: number,
    /** 'forward' or 'reverse'. */
    readonly direction: 'forward' | 'reverse',
    /** The fixed quantity: a gate key, 'c' or 'h'. */
    readonly on: string,
    /** 'zero', 'clamp' or 'mean'. */
    readonly mode: InterventionMode,
    /** The fixed units, in the order given. */
    readonly units: readonly number[],
    /** The value each unit is held at, in the order of `units`. */
    readonly values: readonly number[],
    private readonly detach: (self: Intervention) => void,
  ) {}

  /** Whether the model still applies it. */
  get active(): boolean {
    return !this.removed;
  }

  /** Stops it: the model computes these units again (bit-identically as before). Calling it twice is harmless. */
  remove(): void {
    if (this.removed) return;
    this.removed = true;
    this.detach(this);
  }

  /** `h units 3, 7 of layer 0 zeroed`, `i unit 5 of layer 1 (reverse) clamped to 1`, … */
  toString(): string {
    const where = `${this.on} unit${this.units.length === 1 ? '' : 's'} ${this.units.join(', ')} of layer ${this.layer}${this.direction === 'reverse' ? ' (reverse)' : ''}`;
    const shown = this.values.map((v) => Number(v.toPrecision(4)));
    const how =
      this.mode === 'zero'
        ? 'zeroed'
        : this.mode === 'clamp'
          ? `clamped to ${new Set(shown).size === 1 ? shown[0] : shown.join(', ')}`
          : `held at their mean (${shown.join(', ')})`;
    return `${where} ${how}${this.removed ? ' (removed)' : ''}`;
  }
}

/** What the model tells its interventions about itself. */
export interface InterventionTarget {
  name: string;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  /** Quantities that can be fixed: traced gate keys, 'c' for an LSTM, 'h'. */
  quantities: readonly string[];
  /** The model's dtype: a float32 model holds float32 values. */
  dtype: DType;
  /** For 'mean': the trace of `over`, or of the model's last input when `over` is absent; null when there is none. */
  traceOver(over: unknown): Trace | null;
}

/** The options checked and resolved (the selection's defaults applied); values not yet computed for 'mean'. */
interface ResolvedIntervention {
  layer: number;
  direction: 'forward' | 'reverse';
  on: string;
  mode: InterventionMode;
  units: number[];
  /** 'zero' and 'clamp': one per unit; 'mean': null (the model computes them). */
  values: number[] | null;
  over: unknown;
}

function checkIntervention(target: InterventionTarget, options: unknown): ResolvedIntervention {
  const what = `${target.name}.intervene`;
  if (options === null || typeof options !== 'object')
    throw new LstmError(
      `${what}: expected options like { on: 'h', units: [3, 7], mode: 'zero' }, got ${describe(options)}`,
    );
  checkKeys(what, options, KEYS);
  const o = options as InterventionOptions;
  const carrier =
    o.units !== null && typeof o.units === 'object' && !Array.isArray(o.units) ? (o.units as UnitsCarrier) : null;
  const on = o.on ?? carrier?.on;
  if (typeof on !== 'string' || !target.quantities.includes(on))
    throw new LstmError(
      `${what}: on expected one of ${target.quantities.map((q) => JSON.stringify(q)).join(', ')}, got ${describe(on)}`,
    );
  const layer = checkInt(`${what}: layer`, o.layer ?? carrier?.layer ?? 0, 0, target.numLayers - 1);
  const direction = o.direction ?? carrier?.direction ?? 'forward';
  if (direction !== 'forward' && !(direction === 'reverse' && target.bidirectional))
    throw new LstmError(
      `${what}: direction expected ${target.bidirectional ? "'forward' or 'reverse'" : "'forward' (the model is not bidirectional)"}, got ${describe(direction)}`,
    );
  const units = checkUnits(what, carrier ? carrier.units : o.units, target.hiddenSize);
  const mode = o.mode ?? 'zero';
  if (!MODES.includes(mode))
    throw new LstmError(
      `${what}: mode expected one of ${MODES.map((m) => JSON.stringify(m)).join(', ')}, got ${describe(mode)}`,
    );
  if (mode !== 'clamp' && o.value !== undefined)
    throw new LstmError(
      `${what}: value is for mode 'clamp'; mode ${JSON.stringify(mode)} computes its own, got value ${describe(o.value)}`,
    );
  if (mode !== 'mean' && o.over !== undefined)
    throw new LstmError(`${what}: over is for mode 'mean', got it with mode ${JSON.stringify(mode)}`);
  let values: number[] | null = null;
  if (mode === 'zero') values = units.map(() => 0);
  if (mode === 'clamp') values = clampValues(what, o.value, units.length);
  return { layer, direction, on, mode, units, values, over: o.over };
}

function checkUnits(what: string, units: unknown, H: number): number[] {
  if (!Array.isArray(units) || units.length === 0)
    throw new LstmError(
      `${what}: units expected a non-empty array of unit indices in [0, ${H - 1}] (or a selection), got ${describe(units)}`,
    );
  const seen = new Set<number>();
  return units.map((u) => {
    const j = checkInt(`${what}: units`, u, 0, H - 1);
    if (seen.has(j)) throw new LstmError(`${what}: units expected distinct indices, got ${j} twice`);
    seen.add(j);
    return j;
  });
}

function clampValues(what: string, value: unknown, n: number): number[] {
  const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  if (finite(value)) return new Array<number>(n).fill(value as number);
  if (Array.isArray(value) && value.length === n && value.every(finite)) return value.slice() as number[];
  throw new LstmError(
    `${what}: mode 'clamp' expected value to be a finite number or ${n} finite numbers (one per unit), got ${describe(value)}`,
  );
}

/**
 * The overrides of the active interventions on layer k, direction d, for the cell loops: per
 * quantity, a [H] mask and values. A unit fixed twice keeps the later intervention's value.
 */
function overridesFor(
  active: readonly Intervention[],
  layer: number,
  direction: 'forward' | 'reverse',
  H: number,
): UnitOverrides | null {
  let out: Record<string, UnitOverride> | null = null;
  for (const x of active) {
    if (x.layer !== layer || x.direction !== direction) continue;
    out ??= {};
    const o = (out[x.on] ??= { fixed: new Uint8Array(H), value: new Float64Array(H) });
    x.units.forEach((j, n) => {
      o.fixed[j] = 1;
      o.value[j] = x.values[n];
    });
  }
  return out;
}

/** Each unit's mean of the quantity over every step and sample of the reference input's trace ('mean'). */
function meanValues(target: InterventionTarget, r: ResolvedIntervention): number[] {
  const trace = target.traceOver(r.over);
  if (trace === null)
    throw new LstmError(
      `${target.name}.intervene: mode 'mean' averages over an input: pass { over: x } (a batch like the training data), or run forward once first`,
    );
  const lt = trace.layers[r.layer * (target.bidirectional ? 2 : 1) + (r.direction === 'reverse' ? 1 : 0)];
  const x = r.on === 'c' ? lt.c! : r.on === 'h' ? lt.h : lt.gates[r.on].act;
  const H = target.hiddenSize;
  const rows = x.size / H;
  return r.units.map((j) => {
    let sum = 0;
    for (let row = 0; row < rows; row++) sum += x.data[row * H + j];
    return sum / rows;
  });
}

/**
 * A model's active interventions, in the order they were made (a later one wins on a shared
 * unit): what model.intervene(), .interventions and .removeInterventions() work on, and what
 * forward() hands the cell loops of each layer and direction.
 */
export class ActiveInterventions {
  private readonly list: Intervention[] = [];

  /** Checks the options against the model, computes the values ('mean': from a trace) and makes the intervention active. */
  add(target: InterventionTarget, options: unknown): Intervention {
    const r = checkIntervention(target, options);
    const values = r.values ?? meanValues(target, r);
    // A float32 model holds the value it can store: forward, trace and backward then agree on it.
    const stored = target.dtype === 'float32' ? values.map(Math.fround) : values;
    const fix = new Intervention(r.layer, r.direction, r.on, r.mode, r.units, stored, (self) =>
      this.list.splice(this.list.indexOf(self), 1),
    );
    this.list.push(fix);
    return fix;
  }

  /** The active ones, oldest first (a copy). */
  all(): Intervention[] {
    return this.list.slice();
  }

  /** How many are active. */
  get count(): number {
    return this.list.length;
  }

  /** Removes every one. */
  removeAll(): void {
    for (const fix of this.list.slice()) fix.remove();
  }

  /** The cell loops' overrides for layer k, direction d (null: nothing fixed there). */
  overridesFor(layer: number, direction: 'forward' | 'reverse', H: number): UnitOverrides | null {
    return this.list.length ? overridesFor(this.list, layer, direction, H) : null;
  }
}
