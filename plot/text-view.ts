/**
 * plot.text: a text coloured by units' activations, a row per unit (Karpathy et al. 2015) — the
 * characters of a char-LM sample and, under each, what a unit did while reading it. The payload
 * carries all H units, so selecting a span of the text in the renderer picks among all of them.
 */
import { checkInt, checkKeys, describe } from '../core/host';
import { LstmError } from '../core/index';
import { SCHEMA_VERSION, type TextPayload } from '../protocol/chart-payloads';
import { checkTrace, panelValues, pickLayer, sampleOf } from './builders';
import { checkQuantity } from './selection';

export interface TextOptions {
  /** The characters the trace read, one per step (a string of T characters, or T tokens). */
  text: string | readonly string[];
  /** A gate key, 'c' or 'h'. Default 'h'. */
  on?: string;
  layer?: number;
  direction?: 'forward' | 'reverse';
  sample?: number;
  /** The units shown (rows); default the `top` units whose values vary most over the text. */
  units?: readonly number[];
  /** How many units to show by default. Default 6. */
  top?: number;
  title?: string;
}

const KEYS = ['text', 'on', 'layer', 'direction', 'sample', 'units', 'top', 'title'];
export function textPayload(traceArg: unknown, options: TextOptions): TextPayload {
  const what = 'plot.text';
  const trace = checkTrace(what, traceArg);
  if (options === null || typeof options !== 'object')
    throw new LstmError(`${what}: expected options like { text: sample }, got ${describe(options)}`);
  checkKeys(what, options, KEYS);
  const tokens = typeof options.text === 'string' ? [...options.text] : options.text;
  if (!Array.isArray(tokens) || tokens.length !== trace.steps || !tokens.every((t) => typeof t === 'string'))
    throw new LstmError(
      `${what}: text expected the ${trace.steps} characters the trace read (a string, or one string per step), got ${describe(options.text)}`,
    );
  const on = options.on ?? 'h';
  const layer = pickLayer(what, trace, options.layer ?? 0, options.direction ?? 'forward');
  const sample = checkInt(`${what}: sample`, options.sample ?? 0, 0, trace.batch - 1);
  const quantity = checkQuantity(what, trace, on, layer);
  const values = sampleOf(quantity.x, sample);
  const H = trace.hiddenSize;
  const T = trace.steps;
  // The default top is 6, or every unit of a smaller model; a top given is checked as given.
  const shown = options.units
    ? options.units.map((u) => checkInt(`${what}: units`, u, 0, H - 1))
    : mostVaried(values, T, H, checkInt(`${what}: top`, options.top ?? Math.min(6, H), 1, H));
  return {
    kind: 'text',
    version: SCHEMA_VERSION,
    title:
      options.title ??
      `${trace.kind.toUpperCase()} (${trace.variant}) units over the text — layer ${layer.layer}${layer.direction === 'reverse' ? ' (reverse)' : ''}, sample ${sample}`,
    tokens: tokens.slice(),
    units: H,
    name: on,
    label: quantity.label,
    range: quantity.range,
    values: panelValues(values),
    shown,
    source: { layer: layer.layer, direction: layer.direction, sample },
  };
}

/** The k units with the largest variance over the steps, in that order (ties: the lower unit). */
function mostVaried(values: Float64Array, T: number, H: number, k: number): number[] {
  const variance = Array.from({ length: H }, (_, u) => {
    let sum = 0;
    let sq = 0;
    for (let t = 0; t < T; t++) {
      sum += values[t * H + u];
      sq += values[t * H + u] ** 2;
    }
    return sq / T - (sum / T) ** 2;
  });
  return [...variance.keys()].sort((a, b) => variance[b] - variance[a] || a - b).slice(0, k);
}
