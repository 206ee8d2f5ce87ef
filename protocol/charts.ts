/**
 * Chart outputs: MIME types, payloads and their validation, shared by the kernel (which builds
 * payloads, plot/) and the renderer (which draws them, renderer/). Every payload names its
 * schema version; a renderer meets a newer one with an error box, not a guess.
 *
 * Numbers travel as flat arrays (column-wise), not arrays of objects: a 256-unit × 1,000-step
 * × 6-panel gate payload is 1.5 M numbers, a live loss curve 100,000 points posted 10×/s.
 */

export const SCHEMA_VERSION = 1;

export const MIME = {
  gates: 'application/vnd.lstm-notebook.gates+json',
  states: 'application/vnd.lstm-notebook.states+json',
  loss: 'application/vnd.lstm-notebook.loss+json',
  gradients: 'application/vnd.lstm-notebook.gradients+json',
  saturation: 'application/vnd.lstm-notebook.saturation+json',
} as const;

export type ChartKind = keyof typeof MIME;
export const CHART_MIME_TYPES: readonly string[] = Object.values(MIME);

interface Base<K extends ChartKind> {
  kind: K;
  version: number;
  title: string;
}

/**
 * One heatmap: values[t · units + u] for step t and unit u, coloured on `range`. Small panels
 * carry a JSON list; large ones (a 256 × 1,000 panel is 256,000 values) a string, base64 of
 * little-endian float32 values — 4 bytes a value, a third of the JSON.
 */
export interface GatePanel {
  name: string;
  label: string;
  range: [number, number];
  values: number[] | string;
}

/** Gate activations (time × unit heatmaps) of one layer, direction and batch sample. */
export interface GatesPayload extends Base<'gates'> {
  steps: number;
  units: number;
  /** Labels of the time steps (characters of a text), when given. */
  tokens?: string[];
  panels: GatePanel[];
}

/** c_t and h_t of chosen units over time, and optionally the 2-D PCA path of h_t. */
export interface StatesPayload extends Base<'states'> {
  steps: number;
  units: number[];
  /** c[k][t] for units[k]; absent for cells without a cell state. */
  c?: number[][];
  h: number[][];
  pca?: { x: number[]; y: number[]; explained: [number, number] };
}

export interface Series {
  name: string;
  x: number[];
  y: number[];
}

/** Loss against optimizer step: train and validation, or several named runs. */
export interface LossPayload extends Base<'loss'> {
  series: Series[];
  logScale: boolean;
  /** Debiased exponential smoothing weight in [0, 1) (0 = none). */
  smoothing: number;
  /** Axis titles, when the series are not a loss against steps (plot.series). */
  xTitle?: string;
  yTitle?: string;
}

/** ‖∂L/∂h_t‖ (and ‖∂L/∂c_t‖) against time lag from the loss, per run. */
export interface GradientsPayload extends Base<'gradients'> {
  /** Each series: name "<run> ‖∂L/∂h‖", x = lag, y = norm. */
  series: Array<Series & { run: string; quantity: 'h' | 'c' }>;
}

/** Per layer and gate, per unit: fraction of steps below 0.1 and above 0.9. */
export interface SaturationPayload extends Base<'saturation'> {
  points: { layer: number[]; gate: string[]; unit: number[]; left: number[]; right: number[] };
}

export type ChartPayload = GatesPayload | StatesPayload | LossPayload | GradientsPayload | SaturationPayload;

/** Why `text` is not `count` float32 values in base64, or null when it is. */
function float32s(path: string, text: string, count: number): string | null {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return `expected ${path} to be a list of numbers or base64 float32 data, got a string that is not base64 (${text.length} characters)`;
  const bytes = (text.length / 4) * 3 - (text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0);
  return bytes === 4 * count ? null : `expected ${path} to hold ${count} float32 numbers (${4 * count} bytes), got ${bytes} bytes`;
}

/** Why `data` is not a drawable payload of `mime`, or null when it is. */
export function validatePayload(mime: string, data: unknown): string | null {
  const kind = (Object.keys(MIME) as ChartKind[]).find((k) => MIME[k] === mime);
  if (!kind) return `unknown MIME type ${JSON.stringify(mime)}; expected one of ${CHART_MIME_TYPES.join(', ')}`;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return `expected a JSON object, got ${Array.isArray(data) ? 'an array' : data === null ? 'null' : typeof data}`;
  const p = data as Record<string, unknown>;
  if (typeof p.version !== 'number') return 'expected a numeric "version"';
  if (p.version > SCHEMA_VERSION) return `this output was made by a newer LSTM Notebook (schema version ${p.version}); this renderer reads version ${SCHEMA_VERSION}. Update the extension or re-run the cell.`;
  if (p.kind !== kind) return `expected "kind": ${JSON.stringify(kind)}, got ${JSON.stringify(p.kind)}`;
  const numbers = (path: string, v: unknown, length?: number): string | null => {
    if (!Array.isArray(v)) return `expected ${path} to be a list of numbers`;
    if (length !== undefined && v.length !== length) return `expected ${path} to have ${length} numbers, got ${v.length}`;
    for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'number' && v[i] !== null) return `expected ${path}[${i}] to be a number, got ${JSON.stringify(v[i])}`;
    return null;
  };
  const series = (list: unknown): string | null => {
    if (!Array.isArray(list)) return 'expected "series" to be a list';
    for (const [i, s] of list.entries()) {
      if (typeof s !== 'object' || s === null || typeof s.name !== 'string') return `expected series[${i}] to have a name`;
      const e = numbers(`series[${i}].x`, s.x) ?? numbers(`series[${i}].y`, s.y, (s.x as unknown[]).length);
      if (e) return e;
    }
    return null;
  };
  switch (kind) {
    case 'gates': {
      const { steps, units, panels } = p as Partial<GatesPayload>;
      if (!Number.isInteger(steps) || !Number.isInteger(units)) return 'expected integer "steps" and "units"';
      if (!Array.isArray(panels) || panels.length === 0) return 'expected "panels" to be a non-empty list';
      for (const [i, panel] of panels.entries()) {
        if (typeof panel?.name !== 'string') return `expected panels[${i}] to have a name`;
        const values = typeof panel.values === 'string' ? float32s(`panels[${i}].values`, panel.values, steps! * units!) : numbers(`panels[${i}].values`, panel.values, steps! * units!);
        const e = values ?? numbers(`panels[${i}].range`, panel.range, 2);
        if (e) return e;
        if (typeof panel.label !== 'string') return `expected panels[${i}].label to be a string, got ${JSON.stringify(panel.label)}`;
      }
      return null;
    }
    case 'states': {
      const { steps, h, units } = p as Partial<StatesPayload>;
      if (!Number.isInteger(steps) || !Array.isArray(units) || !Array.isArray(h)) return 'expected "steps", "units" and "h"';
      for (const [k, row] of h.entries()) {
        const e = numbers(`h[${k}]`, row, steps);
        if (e) return e;
      }
      return null;
    }
    case 'loss':
    case 'gradients':
      return series(p.series);
    case 'saturation': {
      const pts = p.points as Record<string, unknown> | undefined;
      if (!pts) return 'expected "points"';
      const n = Array.isArray(pts.unit) ? pts.unit.length : -1;
      return numbers('points.left', pts.left, n) ?? numbers('points.right', pts.right, n);
    }
    default: {
      const unknown: never = kind;
      return `unhandled kind ${String(unknown)}`;
    }
  }
}
