/**
 * Charts as SVG without a browser: vega renders the chart's vega-lite spec (vega-lite.ts, the
 * same one the bundle carries for Jupyter front ends) headless — renderer 'none', no canvas
 * needed; heatmap panels are the spec's PNG images.
 */
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { VegaLiteSpec } from './vega-lite';

const SILENT = {
  level: () => SILENT,
  error: () => SILENT,
  warn: () => SILENT,
  info: () => SILENT,
  debug: () => SILENT,
};

export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  // vega tags every data row it ingests (a symbol key, vega_id): it draws a copy, so the spec that
  // the bundle carries stays plain JSON. Warnings of vega and vega-lite would land in the cell's
  // output (the worker's console is the cell's).
  const copy = structuredClone(spec);
  const view = new vega.View(vega.parse(compile(copy as never, { logger: SILENT as never }).spec), {
    renderer: 'none',
    logLevel: vega.None,
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
