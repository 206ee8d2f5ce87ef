/**
 * Charts as SVG without a browser: vega renders the same spec the renderer draws, headless
 * (renderer 'none', no canvas needed). Heatmap panels become PNG images inside the SVG, at most
 * the chart's own size (downsample.ts).
 */
import { PNG } from 'pngjs';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { ChartPayload, GatePanel, GatesPayload } from '../protocol/chart-payloads';
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

const tables = new Map<string, Uint8Array>();

const SILENT = {
  level: () => SILENT,
  error: () => SILENT,
  warn: () => SILENT,
  info: () => SILENT,
  debug: () => SILENT,
};

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

export async function renderSvg(payload: ChartPayload): Promise<string> {
  const spec = specFor(payload, { theme: LIGHT_THEME, imageUrl: (panel) => panelPng(payload as GatesPayload, panel) });
  // Warnings of vega and vega-lite would land in the cell's output (the worker's console is the cell's).
  const view = new vega.View(vega.parse(compile(spec as never, { logger: SILENT as never }).spec), {
    renderer: 'none',
    logLevel: vega.None,
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
