/**
 * A chart as a standard vega-lite spec: what Jupyter front ends (JupyterLab, Notebook 7, VS
 * Code's Jupyter renderers) draw natively under VEGA_LITE_MIME, and what svg.ts renders in Node.
 * One spec for both, so a notebook's SVG and its vega-lite entry never disagree: the light theme,
 * each gate panel a PNG data URL at most the chart's own size (downsample.ts). Plain JSON — a
 * bundle crosses a worker's message port and is saved in the .ipynb.
 */
import { PNG } from 'pngjs';
import type { ChartPayload, GatePanel, GatesPayload, TextPayload } from '../protocol/chart-payloads';
import {
  colourTable,
  heatmapPixels,
  LIGHT_THEME,
  PANEL_WIDTH,
  panelHeight,
  panelValues,
  schemeFor,
  specFor,
} from '../charts/index';
import { boxes, downsample } from './downsample';

/** Every chart but a text view, which is HTML (charts/text.ts). */
export type VegaChartPayload = Exclude<ChartPayload, TextPayload>;

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type VegaLiteSpec = { [key: string]: JsonValue };

const tables = new Map<string, Uint8Array>();

function table(name: string): Uint8Array {
  let t = tables.get(name);
  if (!t) tables.set(name, (t = colourTable(name)));
  return t;
}

function panelPng(p: GatesPayload, panel: GatePanel): string {
  const [kt, ku] = boxes(p.steps, p.units, PANEL_WIDTH, panelHeight(p.units));
  const small =
    kt * ku > 1
      ? downsample(panelValues(panel), p.steps, p.units, kt, ku)
      : { values: panelValues(panel), steps: p.steps, units: p.units };
  const png = new PNG({ width: small.steps, height: small.units });
  png.data = Buffer.from(
    heatmapPixels(small.values, small.steps, small.units, panel.range, table(schemeFor(panel.range))).buffer,
  );
  return `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
}

export function vegaLiteSpec(payload: VegaChartPayload): VegaLiteSpec {
  const spec = specFor(payload, { theme: LIGHT_THEME, imageUrl: (panel) => panelPng(payload as GatesPayload, panel) });
  const json = plainJson(spec, 'spec') as VegaLiteSpec;
  return payload.kind === 'loss' ? lossColumns(json) : json;
}

/**
 * A loss chart's rows as columns, zipped back into rows by vega-lite's flatten transform:
 *
 *   [{ series: 'a', x: 1, y: 2, … }, { series: 'a', x: 2, y: 1.5, … }]
 *     → [{ series: ['a', 'a'], x: [1, 2], y: [2, 1.5], … }]  +  { flatten: ['series', 'x', 'y', …] }
 *
 * Field names written once instead of once per row: a loss curve's spec takes about 0.57 of the
 * bytes (500 points; the full-precision numbers are the rest) and draws the same — vega sees the
 * same rows in the same order.
 * `bucket` goes: it tells the renderer's live view what to replace, and nothing draws it.
 */
function lossColumns(spec: VegaLiteSpec): VegaLiteSpec {
  const datasets = spec.datasets as { points: { [key: string]: JsonValue }[] };
  const fields = ['series', 'x', 'y', 'smooth'];
  const columns: { [key: string]: JsonValue[] } = Object.fromEntries(fields.map((f) => [f, []]));
  for (const row of datasets.points) for (const f of fields) columns[f].push(row[f] ?? null);
  return { ...spec, datasets: { points: [columns] }, transform: [{ flatten: fields }] };
}

/**
 * A copy of `value` that JSON keeps as it is: keys whose value is undefined left out and
 * non-finite numbers as null, which is what JSON.stringify would write anyway (a diverged
 * model's NaN states, an optional axis title); anything else that is not JSON is a bug in a spec
 * builder, named by its path.
 */
function plainJson(value: unknown, path: string): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map((v, k) => plainJson(v, `${path}[${k}]`));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: { [key: string]: JsonValue } = {};
    for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = plainJson(v, `${path}.${key}`);
    return out;
  }
  const given = typeof value === 'object' ? (value.constructor?.name ?? 'an object') : typeof value;
  throw new TypeError(`${path}: expected JSON (null, a boolean, number, string, array or plain object), got ${given}`);
}
