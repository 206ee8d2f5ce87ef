/**
 * Payloads from the core's objects: traces (gates, states, saturation), histories (loss) and
 * gradient-norm records (gradients). Options are checked; a wrong one names what was expected.
 */
import { checkKeys, checkNumber, describe } from '../core/host';
import { LstmError, type GradNorms, type History, type LayerTrace, type Tensor, type Trace } from '../core/index';
import {
  SCHEMA_VERSION,
  type GatePanel,
  type GatesPayload,
  type GradientsPayload,
  type LossPayload,
  type SaturationPayload,
  type Series,
  type StatesPayload,
} from '../protocol/chart-payloads';
import { encodeF32, F32_THRESHOLD } from '../protocol/float32-codec';
import { pca2 } from './pca';

const round = (v: number) => (Number.isFinite(v) ? Math.round(v * 1e5) / 1e5 : v);

export function checkTrace(what: string, trace: unknown): Trace {
  const t = trace as Trace;
  if (!t || typeof t !== 'object' || !Array.isArray(t.layers) || typeof t.steps !== 'number') {
    throw new LstmError(
      `${what}: expected a trace, as model.forward(x, { trace: true }).trace gives, got ${describe(trace)}`,
    );
  }
  return t;
}

export function pickLayer(
  what: string,
  trace: Trace,
  layer = 0,
  direction: 'forward' | 'reverse' = 'forward',
): LayerTrace {
  const found = trace.layers.find((l) => l.layer === layer && l.direction === direction);
  if (!found) {
    const have = trace.layers.map((l) => `${l.layer}/${l.direction}`).join(', ');
    throw new LstmError(
      `${what}: the trace has no layer ${describe(layer)} in direction ${describe(direction)}; it has ${have}`,
    );
  }
  return found;
}

function checkSample(what: string, trace: Trace, sample: unknown): number {
  if (!Number.isInteger(sample) || (sample as number) < 0 || (sample as number) >= trace.batch) {
    throw new LstmError(
      `${what}: sample must be an integer in [0, ${trace.batch - 1}] (the trace's batch), got ${describe(sample)}`,
    );
  }
  return sample as number;
}

/** x[t, sample, :] of a [T, B, H] tensor as a flat time-major [T · H] array. */
export function sampleOf(x: Tensor, sample: number): Float64Array {
  const [T, B, H] = x.shape;
  const out = new Float64Array(T * H);
  for (let t = 0; t < T; t++) for (let u = 0; u < H; u++) out[t * H + u] = x.data[(t * B + sample) * H + u];
  return out;
}

/** What plot.gates and plot.states share: the options checked, the trace, one layer and one sample. */
function selectSample(
  what: string,
  traceArg: unknown,
  options: { layer?: number; direction?: 'forward' | 'reverse'; sample?: number },
  keys: string[],
) {
  checkKeys(what, options, keys);
  const trace = checkTrace(what, traceArg);
  const layer = pickLayer(what, trace, options.layer, options.direction);
  const sample = checkSample(what, trace, options.sample ?? 0);
  return { trace, layer, sample };
}

/** One quantity of a layer's trace as the charts show it: its [T, B, H] values, label and colour range. */
export interface Quantity {
  x: Tensor;
  label: string;
  /** σ gates on [0, 1]; the candidate, c_t and h_t (tanh-like) on [−1, 1]. */
  range: [number, number];
}

/** Quantity `name` (a gate key, 'c' or 'h') of a layer's trace, or null when the layer has none. */
export function quantityOf(trace: Trace, layer: LayerTrace, name: string): Quantity | null {
  if (name === 'c') return layer.c ? { x: layer.c, label: 'cell state c_t', range: [-1, 1] } : null;
  if (name === 'h') return { x: layer.h, label: 'hidden state h_t', range: [-1, 1] };
  const gate = layer.gates[name];
  if (!gate) return null;
  const tanhLike = name === 'g' || name === 'n';
  return { x: gate.act, label: trace.gateLabels[name] ?? name, range: tanhLike ? [-1, 1] : [0, 1] };
}

/** The quantities a layer's trace has, in panel order: its gates, c (LSTM), h. */
export function quantitiesOf(layer: LayerTrace): string[] {
  return [...Object.keys(layer.gates), ...(layer.c ? ['c'] : []), 'h'];
}

export interface GatesOptions {
  layer?: number;
  direction?: 'forward' | 'reverse';
  sample?: number;
  tokens?: string | string[];
  gates?: string[];
  title?: string;
}

export function gatesPayload(traceArg: unknown, options: GatesOptions = {}): GatesPayload {
  const what = 'plot.gates';
  const { trace, layer, sample } = selectSample(what, traceArg, options, [
    'layer',
    'direction',
    'sample',
    'tokens',
    'gates',
    'title',
  ]);
  const available = quantitiesOf(layer);
  const names = options.gates ?? available;
  const panels: GatePanel[] = names.map((name) => {
    const q = quantityOf(trace, layer, name);
    if (!q)
      throw new LstmError(
        `${what}: no gate ${describe(name)} in this ${trace.kind} trace; expected one of ${available.join(', ')}`,
      );
    return { name, label: q.label, range: q.range, values: panelValues(sampleOf(q.x, sample)) };
  });
  const tokens = typeof options.tokens === 'string' ? [...options.tokens] : options.tokens;
  if (tokens && tokens.length !== trace.steps)
    throw new LstmError(`${what}: tokens must label each of the ${trace.steps} steps, got ${tokens.length}`);
  return {
    kind: 'gates',
    version: SCHEMA_VERSION,
    title:
      options.title ??
      `${trace.kind.toUpperCase()} (${trace.variant}) gates — layer ${layer.layer}${layer.direction === 'reverse' ? ' (reverse)' : ''}, sample ${sample}`,
    steps: trace.steps,
    units: trace.hiddenSize,
    ...(tokens ? { tokens } : {}),
    source: { layer: layer.layer, direction: layer.direction, sample },
    panels,
  };
}

export interface StatesOptions {
  units?: number[];
  layer?: number;
  direction?: 'forward' | 'reverse';
  sample?: number;
  pca?: boolean;
  title?: string;
}

export function statesPayload(traceArg: unknown, options: StatesOptions = {}): StatesPayload {
  const what = 'plot.states';
  const { trace, layer, sample } = selectSample(what, traceArg, options, [
    'units',
    'layer',
    'direction',
    'sample',
    'pca',
    'title',
  ]);
  const H = trace.hiddenSize;
  const units = options.units ?? Array.from({ length: Math.min(H, 4) }, (_, u) => u);
  for (const u of units)
    if (!Number.isInteger(u) || u < 0 || u >= H)
      throw new LstmError(`${what}: units must be integers in [0, ${H - 1}], got ${describe(u)}`);
  const h = sampleOf(layer.h, sample);
  const c = layer.c ? sampleOf(layer.c, sample) : null;
  const column = (x: Float64Array, u: number) => Array.from({ length: trace.steps }, (_, t) => round(x[t * H + u]));
  const pca = options.pca ?? (H >= 2 && trace.steps >= 3);
  return {
    kind: 'states',
    version: SCHEMA_VERSION,
    title: options.title ?? `${trace.kind.toUpperCase()} states — layer ${layer.layer}, sample ${sample}`,
    steps: trace.steps,
    units,
    h: units.map((u) => column(h, u)),
    ...(c ? { c: units.map((u) => column(c, u)) } : {}),
    ...(pca
      ? { pca: (({ x, y, explained }) => ({ x: x.map(round), y: y.map(round), explained }))(pca2(h, trace.steps, H)) }
      : {}),
  };
}

export interface LossOptions {
  logScale?: boolean;
  smoothing?: number;
  title?: string;
  xTitle?: string;
  yTitle?: string;
}

/** source: a training History, an array of Series, or an array of { name, loss: number[] }. */
export function lossPayload(source: unknown, options: LossOptions = {}): LossPayload {
  const what = 'plot.loss';
  checkKeys(what, options, ['logScale', 'smoothing', 'title', 'xTitle', 'yTitle']);
  const smoothing = options.smoothing ?? 0.6;
  if (typeof smoothing !== 'number' || !(smoothing >= 0 && smoothing < 1))
    throw new LstmError(`${what}: smoothing must be a number in [0, 1), got ${describe(smoothing)}`);
  const titles = {
    ...(options.xTitle ? { xTitle: options.xTitle } : {}),
    ...(options.yTitle ? { yTitle: options.yTitle } : {}),
  };
  return {
    kind: 'loss',
    version: SCHEMA_VERSION,
    title: options.title ?? 'Loss',
    series: lossSeries(what, source),
    logScale: options.logScale ?? false,
    smoothing,
    ...titles,
  };
}

function lossSeries(what: string, source: unknown): Series[] {
  const h = source as History;
  if (h && typeof h === 'object' && Array.isArray(h.steps) && Array.isArray(h.epochs)) {
    const series: Series[] = [{ name: 'train', x: h.steps.map((s) => s.step), y: h.steps.map((s) => s.loss) }];
    const validation = h.epochs.filter((e) => e.validationLoss !== undefined);
    if (validation.length > 0)
      series.push({
        name: 'validation',
        x: validation.map((e) => e.step),
        y: validation.map((e) => e.validationLoss!),
      });
    return series;
  }
  if (Array.isArray(source)) {
    return source.map((s, i) => {
      if (s && typeof s.name === 'string' && Array.isArray(s.loss))
        return { name: s.name, x: s.loss.map((_: number, k: number) => k + 1), y: s.loss };
      if (s && typeof s.name === 'string' && Array.isArray(s.x) && Array.isArray(s.y)) {
        if (s.x.length !== s.y.length)
          throw new LstmError(
            `${what}: runs[${i}] ("${s.name}") needs as many x as y values, got ${s.x.length} x and ${s.y.length} y`,
          );
        return { name: s.name, x: s.x, y: s.y };
      }
      throw new LstmError(`${what}: runs[${i}] must be { name, loss: number[] } or { name, x, y }, got ${describe(s)}`);
    });
  }
  throw new LstmError(
    `${what}: expected a history from train(), or a list of { name, loss: number[] }, got ${describe(source)}`,
  );
}

export interface GradientsOptions {
  layer?: number;
  title?: string;
}

export function gradientsPayload(runs: unknown, options: GradientsOptions = {}): GradientsPayload {
  const what = 'plot.gradients';
  checkKeys(what, options, ['layer', 'title']);
  const list = Array.isArray(runs) ? runs : [{ name: 'model', norms: runs }];
  const series: GradientsPayload['series'] = [];
  list.forEach((run, i) => {
    const norms = run?.norms as GradNorms | undefined;
    if (!run || typeof run.name !== 'string' || !norms || !Array.isArray(norms.layers)) {
      throw new LstmError(
        `${what}: expected gradient norms (forward(x, { tape, gradNorms: true }).gradNorms after backward) or a list of { name, norms }, got ${describe(run)} at ${i}`,
      );
    }
    if (!norms.filled)
      throw new LstmError(
        `${what}: the gradient norms of ${describe(run.name)} are empty — call tape.backward(loss) first`,
      );
    const layer = norms.layers.find((l) => l.layer === (options.layer ?? 0) && l.direction === 'forward');
    if (!layer) throw new LstmError(`${what}: ${describe(run.name)} has no layer ${options.layer ?? 0}`);
    const T = layer.h.length;
    const lags = Array.from({ length: T }, (_, k) => k);
    const back = (x: Float64Array) => lags.map((lag) => x[T - 1 - lag]);
    series.push({ name: `${run.name} ‖∂L/∂h‖`, run: run.name, quantity: 'h', x: lags, y: back(layer.h) });
    if (layer.c) series.push({ name: `${run.name} ‖∂L/∂c‖`, run: run.name, quantity: 'c', x: lags, y: back(layer.c) });
  });
  return { kind: 'gradients', version: SCHEMA_VERSION, title: options.title ?? 'Gradient flow through time', series };
}

export interface SaturationOptions {
  low?: number;
  high?: number;
  title?: string;
}

/** Sigmoid gates only: their values live in (0, 1); tanh quantities are not gates. */
const SIGMOID_GATES = new Set(['i', 'f', 'o', 'r', 'z']);

export function saturationPayload(traceArg: unknown, options: SaturationOptions = {}): SaturationPayload {
  const what = 'plot.saturation';
  checkKeys(what, options, ['low', 'high', 'title']);
  const trace = checkTrace(what, traceArg);
  const low = checkNumber(`${what}: low`, options.low ?? 0.1, 0, 1);
  const high = checkNumber(`${what}: high`, options.high ?? 0.9, 0, 1);
  if (!(low < high)) throw new LstmError(`${what}: expected low below high, got low ${low} and high ${high}`);
  const points: SaturationPayload['points'] = { layer: [], gate: [], unit: [], left: [], right: [] };
  for (const layer of trace.layers.filter((l) => l.direction === 'forward')) {
    for (const [name, gate] of Object.entries(layer.gates)) {
      if (!SIGMOID_GATES.has(name)) continue;
      const [T, B, H] = gate.act.shape;
      for (let u = 0; u < H; u++) {
        let left = 0;
        let right = 0;
        for (let r = 0; r < T * B; r++) {
          const v = gate.act.data[r * H + u];
          if (v < low) left++;
          else if (v > high) right++;
        }
        points.layer.push(layer.layer);
        points.gate.push(trace.gateLabels[name] ?? name);
        points.unit.push(u);
        points.left.push(round(left / (T * B)));
        points.right.push(round(right / (T * B)));
      }
    }
  }
  if (points.unit.length === 0) throw new LstmError(`${what}: a ${trace.kind} trace has no sigmoid gates to measure`);
  return {
    kind: 'saturation',
    version: SCHEMA_VERSION,
    title: options.title ?? `Gate saturation (< ${low} left, > ${high} right)`,
    points,
    low,
    high,
  };
}

/**
 * A 2-D tensor [R, C] as one heatmap panel: columns left to right, row 0 at the top, coloured on
 * [min, max] of its values (symmetric around 0 when it has both signs, as weights usually do).
 * The gates payload with axes named column and row: values[c · R + r] = t[r, c].
 */
export function tensorHeatmapPayload(t: Tensor): GatesPayload {
  const [R, C] = t.shape;
  const values = new Float64Array(R * C);
  let min = Infinity;
  let max = -Infinity;
  for (let r = 0; r < R; r++)
    for (let c = 0; c < C; c++) {
      const v = t.data[r * C + c];
      values[c * R + r] = v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  const bound = Math.max(-min, max);
  const range: [number, number] = min < 0 && max > 0 ? [-bound, bound] : min === max ? [min - 1, max + 1] : [min, max];
  return {
    kind: 'gates',
    version: SCHEMA_VERSION,
    title: `Tensor [${R}, ${C}] ${t.dtype}`,
    steps: C,
    units: R,
    axes: { x: 'column', y: 'row' },
    panels: [
      {
        name: 'values',
        label: 'values',
        range,
        values: panelValues(values),
      },
    ],
  };
}

/** A panel's values as they travel: float32 base64 when large, a rounded JSON list otherwise. */
export function panelValues(values: Float64Array): number[] | string {
  return values.length > F32_THRESHOLD ? encodeF32(values) : Array.from(values, round);
}
