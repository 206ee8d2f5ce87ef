/**
 * Chart outputs: MIME types and payloads, shared by the kernel (which builds payloads, plot/)
 * and the renderer (which draws them, renderer/). Every payload names its schema version; a
 * renderer meets a newer one with an error box, not a guess. validate-chart-payloads.ts checks
 * them (it imports this file, not the other way round).
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
  box: 'application/vnd.lstm-notebook.box+json',
  text: 'application/vnd.lstm-notebook.text+json',
} as const;

/**
 * The standard vega-lite type Jupyter front ends draw natively: every chart's bundle but a text
 * view's also carries its spec under it (plot/vega-lite.ts), after MIME[kind] in VS Code's order.
 */
export const VEGA_LITE_MIME = 'application/vnd.vegalite.v5+json';

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
  /**
   * What the axes count, when not time steps and units: a 2-D tensor's heatmap is
   * { x: 'column', y: 'row' } (steps = columns, units = rows). Axis titles and tooltips use them.
   */
  axes?: { x: string; y: string };
  /** Labels of the time steps (characters of a text), when given. */
  tokens?: string[];
  /**
   * The trace's layer, direction and sample the panels show, when they come from a trace: a unit
   * selection brushed in the chart names them (protocol/selection.ts). Absent for a tensor.
   */
  source?: { layer: number; direction: 'forward' | 'reverse'; sample: number };
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
  /** The thresholds `left` and `right` count against (a gate below `low`, above `high`); 0.1 and 0.9 when absent (payloads saved before they were carried). */
  low?: number;
  high?: number;
}

/**
 * One box per group (min–max whiskers, quartiles, median) with every value drawn as a dot: a
 * sweep's test losses per variant, groups in the order to draw them (best first).
 */
export interface BoxPayload extends Base<'box'> {
  groups: Array<{
    name: string;
    values: number[];
    /** What each value is (its tooltip), e.g. "seed 2"; as many as values. */
    labels?: string[];
  }>;
  /** The value axis' title. */
  valueTitle: string;
  logScale: boolean;
}

/**
 * A text coloured by units' activations, a row of the text per unit (Karpathy, Johnson & Fei-Fei
 * 2015): character t of row u is coloured by values[t · units + u] on `range`. It carries every
 * unit's values, so a selection made in it (protocol/selection.ts) can pick among all of them.
 */
export interface TextPayload extends Base<'text'> {
  /** The characters, one per step. */
  tokens: string[];
  /** H, the units of the quantity. */
  units: number;
  /** The quantity: a gate key, 'c' or 'h', and its label. */
  name: string;
  label: string;
  range: [number, number];
  /** [T, H] time-major, a JSON list or base64 float32 (as a gate panel's). */
  values: number[] | string;
  /** The units whose rows are shown, in order. */
  shown: number[];
  source?: { layer: number; direction: 'forward' | 'reverse'; sample: number };
}

export type ChartPayload =
  GatesPayload | StatesPayload | LossPayload | GradientsPayload | SaturationPayload | BoxPayload | TextPayload;
