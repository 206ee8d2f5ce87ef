/**
 * State dicts in and out as JSON-able objects, in two layouts:
 *   'torch' (default): keys are the parameter names (PyTorch's, see recurrent-spec.ts), values
 *     nested arrays of the parameter's shape — what `{k: v.tolist() for k, v in
 *     model.state_dict().items()}` gives. On import a value may also be { shape, data } with
 *     flat row-major data (a Tensor qualifies).
 *   'keras': the weights of Keras LSTM / GRU / SimpleRNN / Dense / Embedding layers, one
 *     recurrent layer per `_l{k}` suffix; see statedict/keras.ts for the mapping and for why
 *     the bias conversions keep the forward pass exact.
 *
 * Import checks every key before it writes anything, and reports every problem (missing and
 * unknown keys, shapes, non-numbers, ragged arrays) in one LstmError: a failed import leaves the
 * model as it was. `strict: false` ignores unknown keys; missing keys are always an error
 * (unlike PyTorch's strict=False, which also skips missing ones), so that no parameter is
 * silently left as initialised.
 */
import { LstmError, checkKeys, describe } from './errors';
import { Tensor, formatShape, NestedNumbers, sameShape } from './tensor';
import { kerasSlots } from './statedict/keras';
import { parametersByName, Slot, StateDictModule, torchSlots } from './statedict/slots';
import { parseValue } from './statedict/parse-value';
import { decodeSafetensors, encodeSafetensors } from './statedict/safetensors';

export type { StateDictModule } from './statedict/slots';
/**
 * How a state dict names and shapes the weights: 'torch' (PyTorch's state_dict names and
 * layouts, weight_ih_l0 [G·H, I], …) or 'keras' (the weights of Keras LSTM / GRU / SimpleRNN /
 * Dense / Embedding layers, see statedict/keras.ts).
 */
export type Layout = 'torch' | 'keras';
/** Key → nested arrays of numbers: JSON.stringify-able, and what PyTorch's `.tolist()` gives. */
export type StateDictJSON = Record<string, NestedNumbers>;

/** Options of exportStateDict() and model.stateDict(). */
export interface ExportStateDictOptions {
  /** 'torch' (default) or 'keras'. */
  layout?: Layout;
}

/** Options of importStateDict() and model.loadStateDict(). */
export interface ImportStateDictOptions {
  /** 'torch' (default) or 'keras'. */
  layout?: Layout;
  /** true (default): keys the model does not have are an error; false: they are ignored. */
  strict?: boolean;
}

/**
 * The model's parameters as a JSON-able object in the given layout (default 'torch'): the
 * same as model.stateDict(options).
 * @example const json = JSON.stringify(exportStateDict(model, { layout: 'keras' }));
 * @throws {LstmError} for an unknown option or layout, or a module the layout cannot express.
 */
export function exportStateDict(module: StateDictModule, options: ExportStateDictOptions = {}): StateDictJSON {
  const what = 'exportStateDict';
  checkKeys(what, options, ['layout']);
  const slots = slotsFor(what, module, checkLayout(what, options?.layout));
  const out: StateDictJSON = {};
  for (const slot of slots) out[slot.key] = new Tensor(slot.read(), slot.shape).toArray();
  return out;
}

/**
 * Loads a state dict (as exportStateDict gives, or parsed from PyTorch / Keras JSON) into the
 * model's parameter tensors, in place. All or nothing: on any problem it throws one LstmError
 * listing them all and changes nothing. The same as model.loadStateDict(dict, options).
 * Options: layout 'torch' (default) or 'keras'; strict (default true) refuses keys the model
 * does not have. Missing keys are always refused, unlike PyTorch's strict=False.
 * @example importStateDict(model, JSON.parse(json));
 * @throws {LstmError} for missing keys, unknown keys (when strict), wrong shapes, non-numbers,
 * ragged arrays, values a float32 model cannot hold, or a bad option.
 */
export function importStateDict(module: StateDictModule, dict: unknown, options: ImportStateDictOptions = {}): void {
  const what = 'importStateDict';
  checkKeys(what, options, ['layout', 'strict']);
  const layout = checkLayout(what, options?.layout);
  const strict = options?.strict ?? true;
  if (typeof strict !== 'boolean')
    throw new LstmError(`${what}: strict expected true or false, got ${describe(strict)}`);
  const slots = slotsFor(what, module, layout);
  const notes: string[] = [];
  const entries =
    layout === 'torch' ? joinPeepholeGates(checkDict(what, dict, slots), slots, notes) : checkDict(what, dict, slots);
  const float32 = module.dtype === 'float32';

  const missing: Slot[] = [];
  const problems: string[] = [];
  const ready: Array<[Slot, Float64Array]> = [];
  for (const slot of slots) {
    if (!Object.prototype.hasOwnProperty.call(entries, slot.key)) {
      missing.push(slot);
      continue;
    }
    const value = parseValue(entries[slot.key]);
    if (typeof value === 'string') {
      problems.push(`${slot.key}: ${value}`);
    } else if (!sameShape(value.shape, slot.shape)) {
      const transposed =
        value.shape.length === 2 &&
        slot.shape.length === 2 &&
        value.shape[0] === slot.shape[1] &&
        value.shape[1] === slot.shape[0];
      const hint = slot.shapeHint?.(value.shape) ?? (transposed ? 'transposed?' : null);
      problems.push(
        `${slot.key}: expected shape ${formatShape(slot.shape)}, got ${formatShape(value.shape)}${hint ? ` (${hint})` : ''}`,
      );
    } else {
      const k = float32 ? value.data.findIndex((x) => !Number.isFinite(Math.fround(x))) : -1;
      if (k >= 0) problems.push(`${slot.key}: value ${value.data[k]} at flat index ${k} does not fit in float32`);
      else ready.push([slot, value.data]);
    }
  }
  const known = new Set(slots.map((s) => s.key));
  const unknown = Object.keys(entries).filter((key) => !known.has(key));
  if (missing.length > 0) {
    problems.unshift(
      `missing key${missing.length > 1 ? 's' : ''}: ${missing.map((s) => `${s.key} ${formatShape(s.shape)}`).join(', ')}`,
    );
  }
  if (strict && unknown.length > 0) {
    problems.push(
      `unknown key${unknown.length > 1 ? 's' : ''}: ${unknown.map((k) => JSON.stringify(k)).join(', ')} (pass { strict: false } to ignore keys the model does not have)`,
    );
  }
  if (problems.length > 0) {
    const hints = [layoutHint(layout, Object.keys(entries)), prefixHint(unknown, missing), ...notes].filter(
      (h) => h !== null,
    );
    throw new LstmError(
      `${what} (${layout} layout): ${problems.length} problem${problems.length > 1 ? 's' : ''}, nothing was loaded:\n  - ${problems.join('\n  - ')}` +
        hints.map((h) => `\n  hint: ${h}`).join(''),
    );
  }
  for (const [slot, values] of ready) slot.write(values);
}

/** Options of saveSafetensors(). */
export interface SaveSafetensorsOptions {
  /** Free-form string → string notes stored in the file's header (`__metadata__`). */
  metadata?: Record<string, string>;
}

/**
 * A model's weights under PyTorch's state-dict names (weight_ih_l0, …), or named tensors of your
 * own, as the bytes of a safetensors file: what PyTorch projects save checkpoints in.
 * @example writeFileSync(join(__dirname, 'weights.safetensors'), saveSafetensors(model));
 * @throws {LstmError} for something that is neither a model nor named tensors, or metadata that
 * is not string to string.
 */
export function saveSafetensors(
  source: StateDictModule | Record<string, Tensor>,
  options: SaveSafetensorsOptions = {},
): Uint8Array {
  const what = 'saveSafetensors';
  checkKeys(what, options, ['metadata']);
  const isModule = typeof (source as StateDictModule | null)?.namedParameters === 'function';
  const tensors = isModule
    ? Object.fromEntries(
        slotsFor(what, source as StateDictModule, 'torch').map((slot) => [
          slot.key,
          new Tensor(slot.read(), slot.shape).clone(),
        ]),
      )
    : (source as Record<string, Tensor>);
  return encodeSafetensors(tensors, options.metadata);
}

/** Options of loadSafetensors(). */
export interface LoadSafetensorsOptions {
  /**
   * Only the tensors whose names start with this, the prefix taken off: a PyTorch checkpoint of
   * several modules names them `rnn.weight_ih_l0`, `head.weight`…
   */
  prefix?: string;
}

/**
 * The tensors of a safetensors file, by name; `model.loadStateDict(...)` takes them as they are.
 * F64 loads as float64, F32 as float32, F16 and BF16 widened exactly to float32.
 * @example model.loadStateDict(loadSafetensors(readFileSync(join(__dirname, 'checkpoint.safetensors')), { prefix: 'rnn.' }));
 * @throws {LstmError} for bytes that are not a well-formed safetensors file, naming what is wrong,
 * or a tensor of a non-floating dtype.
 */
export function loadSafetensors(
  bytes: Uint8Array | ArrayBuffer,
  options: LoadSafetensorsOptions = {},
): Record<string, Tensor> {
  const what = 'loadSafetensors';
  checkKeys(what, options, ['prefix']);
  const prefix = options.prefix ?? '';
  if (typeof prefix !== 'string') throw new LstmError(`${what}: prefix expected a string, got ${describe(prefix)}`);
  const { tensors } = decodeSafetensors(bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes);
  if (!prefix) return tensors;
  const picked = Object.entries(tensors).filter(([name]) => name.startsWith(prefix));
  if (picked.length === 0)
    throw new LstmError(
      `${what}: no tensor's name starts with ${describe(prefix)}; the file has ${describe(Object.keys(tensors))}`,
    );
  return Object.fromEntries(picked.map(([name, tensor]) => [name.slice(prefix.length), tensor]));
}

function checkLayout(what: string, layout: unknown): Layout {
  if (layout === undefined) return 'torch';
  if (layout !== 'torch' && layout !== 'keras')
    throw new LstmError(`${what}: layout expected "torch" or "keras", got ${describe(layout)}`);
  return layout;
}

function slotsFor(what: string, module: StateDictModule, layout: Layout): Slot[] {
  const params = parametersByName(what, module);
  if (layout !== 'torch') return kerasSlots(what, module, params);
  const slots = torchSlots(params);
  // A CIFG LSTM keeps PyTorch's four gate blocks; a three-block weight from elsewhere gets told how.
  const H = module.spec?.hiddenSize;
  if (module.spec?.kind === 'lstm' && H !== undefined && (module as { flags?: { coupled?: boolean } }).flags?.coupled) {
    return slots.map((slot) =>
      /^(weight|bias)_(ih|hh)_/.test(slot.key)
        ? {
            ...slot,
            shapeHint: (got: readonly number[]) =>
              got[0] === 3 * H
                ? `a CIFG LSTM keeps the four gate blocks i, f, g, o of ${4 * H} rows as PyTorch does; its f block (rows ${H}–${2 * H - 1}) is unused, since f = 1 − i: insert ${H} rows of zeros after the first ${H}`
                : null,
          }
        : slot,
    );
  }
  return slots;
}

/** weight_peephole_l0 [3H] is the peepholes of i, f and o in that order; per-gate keys of [H] each are joined into it. */
const PEEPHOLE_KEY = /^weight_peephole(_l\d+(?:_reverse)?)$/;

/**
 * Joins per-gate peephole entries (weight_peephole_i_l0, _f_, _o_, [H] each) into the one [3H]
 * entry the model has, when all three are there; when only some are, says how they load.
 */
function joinPeepholeGates(entries: Record<string, unknown>, slots: Slot[], notes: string[]): Record<string, unknown> {
  let out = entries;
  for (const slot of slots) {
    const m = PEEPHOLE_KEY.exec(slot.key);
    if (!m || Object.prototype.hasOwnProperty.call(entries, slot.key)) continue;
    const keys = ['i', 'f', 'o'].map((g) => `weight_peephole_${g}${m[1]}`);
    const present = keys.filter((k) => Object.prototype.hasOwnProperty.call(entries, k));
    if (present.length === 0) continue;
    const values = keys.map((k) => (present.includes(k) ? parseValue(entries[k]) : null));
    const H = slot.shape[0] / 3;
    if (values.every((v) => v !== null && typeof v !== 'string' && v.shape.length === 1 && v.shape[0] === H)) {
      out = { ...out };
      for (const k of keys) delete out[k];
      const data: number[] = [];
      for (const v of values) if (v && typeof v !== 'string') data.push(...v.data);
      out[slot.key] = { shape: [3 * H], data };
    } else {
      notes.push(
        `peepholes load as ${slot.key} ${formatShape(slot.shape)} (i, f, o in that order), or as ${keys.join(', ')} of [${H}] each — all three`,
      );
    }
  }
  return out;
}

function checkDict(what: string, dict: unknown, slots: Slot[]): Record<string, unknown> {
  const example = slots.length > 0 ? `{ ${JSON.stringify(slots[0].key)}: [...], … }` : '{ name: [...], … }';
  if (typeof dict === 'string')
    throw new LstmError(
      `${what}: expected a state dict object like ${example}, got a string (JSON text? JSON.parse it first)`,
    );
  if (dict instanceof Map)
    throw new LstmError(
      `${what}: expected a state dict object like ${example}, got a Map (pass Object.fromEntries(map))`,
    );
  if (
    dict === null ||
    typeof dict !== 'object' ||
    Array.isArray(dict) ||
    ArrayBuffer.isView(dict) ||
    dict instanceof Tensor
  ) {
    throw new LstmError(`${what}: expected a state dict object like ${example}, got ${describe(dict)}`);
  }
  return dict as Record<string, unknown>;
}

const TORCH_KEY = /^(weight|bias)(_(ih|hh|peephole|gate))?(_l\d+(_reverse)?)?$/;
const KERAS_KEY = /^(kernel|recurrent_kernel|embeddings)(_l\d+(_reverse)?)?$|^bias_l\d+(_reverse)?$/;

/** Advice when the keys look like the other layout's. */
function layoutHint(layout: Layout, keys: string[]): string | null {
  const torch = keys.filter((k) => TORCH_KEY.test(k) && k !== 'bias').length;
  const keras = keys.filter((k) => KERAS_KEY.test(k)).length;
  if (layout === 'keras' && torch > keras)
    return "the keys look like a torch layout state dict; pass { layout: 'torch' }";
  if (layout === 'torch' && keras > torch)
    return "the keys look like a keras layout state dict; pass { layout: 'keras' }";
  return null;
}

/** Advice when unknown keys are the missing ones behind a prefix ("lstm.weight_ih_l0", "lstm/kernel"). */
function prefixHint(unknown: string[], missing: Slot[]): string | null {
  for (const key of unknown) {
    for (const slot of missing) {
      if (key.length > slot.key.length && key.endsWith(slot.key) && /[./]$/.test(key.slice(0, -slot.key.length))) {
        return `keys carry a prefix (${JSON.stringify(key.slice(0, -slot.key.length))}); strip it from every key before importing`;
      }
    }
  }
  return null;
}
