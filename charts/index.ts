/**
 * Spec builders: chart payload → vega-lite spec. Pure functions with no DOM, shared by the
 * renderer (browser) and the SVG fallback (Node).
 */
import type { ChartPayload, GatePanel } from '../protocol/chart-payloads';
import { boxSpec } from './box';
import { gatesSpec } from './gates';
import { gradientsSpec } from './gradients';
import { lossSpec } from './loss';
import { saturationSpec } from './saturation';
import { statesSpec } from './states';
import type { LossRows } from './loss-rows';
import type { Theme } from './theme';

export { LIGHT_THEME, type Theme } from './theme';
export { colourTable, heatmapPixels, schemeFor } from './colours';
export { lossRows } from './loss';
export { LossRows } from './loss-rows';
export { BRUSH_DATA, PANEL_WIDTH, panelHeight } from './gates';
export { panelValues } from './panel-values';
export { textViewHtml } from './text';

export interface SpecOptions {
  theme: Theme;
  imageUrl: (panel: GatePanel) => string;
  /** Loss charts: overrides of the payload's own settings (the renderer's controls). */
  logScale?: boolean;
  smoothing?: number;
  /** Loss charts: the rows to draw, when the caller keeps them (a live view). */
  lossRows?: LossRows;
  /** Gates charts: add the layers a brushed unit selection draws into (the renderer's). */
  brushable?: boolean;
}

export function specFor(p: ChartPayload, o: SpecOptions): Record<string, unknown> {
  switch (p.kind) {
    case 'gates':
      return gatesSpec(p, o.theme, o.imageUrl, o.brushable);
    case 'states':
      return statesSpec(p, o.theme);
    case 'loss':
      return lossSpec(p, o.theme, {
        logScale: o.logScale ?? p.logScale,
        smoothing: o.smoothing ?? p.smoothing,
        rows: o.lossRows,
      });
    case 'gradients':
      return gradientsSpec(p, o.theme);
    case 'saturation':
      return saturationSpec(p, o.theme);
    case 'box':
      return boxSpec(p, o.theme);
    case 'text':
      throw new Error('a text view is HTML, not a vega chart: textViewHtml (charts/text.ts) draws it');
    default: {
      const unknown: never = p;
      throw new Error(`no spec for ${JSON.stringify(unknown)}`);
    }
  }
}
