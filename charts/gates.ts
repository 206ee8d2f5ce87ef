/**
 * Gate activations as heatmaps, one panel per gate (and c_t, h_t): time runs left to right,
 * unit 0 is the top row. Each panel is one raster image (a 256 × 1,000 panel is 256,000 cells:
 * drawn as marks it would not be smooth), placed on linear step and unit scales so the axes,
 * and the renderer's tooltips, read exact positions.
 */
import type { GatePanel, GatesPayload } from '../protocol/chart-payloads';
import { schemeFor } from './colours';
import { baseConfig, type Theme } from './theme';

export const PANEL_WIDTH = 640;

export function panelHeight(units: number): number {
  return Math.max(60, Math.min(220, 3 * units));
}

/** `imageUrl(panel)` gives a PNG data URL of the panel's pixels (canvas in the browser, PNG encoder in Node). */
export function gatesSpec(
  p: GatesPayload,
  theme: Theme,
  imageUrl: (panel: GatePanel) => string,
): Record<string, unknown> {
  const height = panelHeight(p.units);
  const x = {
    type: 'quantitative',
    scale: { domain: [0, p.steps], nice: false, zero: true },
    axis: { title: p.tokens ? null : (p.axes?.x ?? 'time step'), labels: !p.tokens },
  };
  const y = {
    type: 'quantitative',
    scale: { domain: [0, p.units], nice: false, reverse: true },
    axis: { title: p.axes?.y ?? 'unit', tickMinStep: 1 },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: p.title,
    config: baseConfig(theme),
    vconcat: p.panels.map((panel, index) => ({
      title: { text: panel.label, fontSize: 11 },
      width: PANEL_WIDTH,
      height,
      layer: [
        {
          data: { values: [{ url: imageUrl(panel), x: 0, y: 0, panel: index }] },
          mark: {
            type: 'image',
            width: PANEL_WIDTH,
            height,
            align: 'left',
            baseline: 'top',
            aspect: false,
            smooth: false,
          },
          encoding: { x: { field: 'x', ...x }, y: { field: 'y', ...y }, url: { field: 'url', type: 'nominal' } },
        },
        {
          // An empty layer that only carries the colour legend of the panel's range.
          data: { values: [{ v: panel.range[0] }, { v: panel.range[1] }] },
          mark: { type: 'point', opacity: 0 },
          encoding: {
            color: {
              field: 'v',
              type: 'quantitative',
              scale: { domain: panel.range, scheme: schemeFor(panel.range), clamp: true },
              legend: { title: null, gradientLength: Math.min(height, 120) },
            },
          },
        },
        ...(p.tokens ? [tokenAxisLayer(p.tokens, height)] : []),
      ],
      resolve: { scale: { color: 'independent' } },
    })),
    resolve: { scale: { color: 'independent' } },
  };
}

/** Characters of a text under the heatmap, one per step (shown as text marks, never as HTML). */
function tokenAxisLayer(tokens: string[], height: number): Record<string, unknown> {
  const every = Math.max(1, Math.ceil(tokens.length / 120));
  return {
    data: {
      values: tokens
        .map((token, t) => ({ t: t + 0.5, token: token === '\n' ? '⏎' : token === ' ' ? '␣' : token }))
        .filter((_, t) => t % every === 0),
    },
    mark: { type: 'text', baseline: 'top', dy: height + 4, fontSize: 9, font: 'monospace' },
    encoding: {
      x: { field: 't', type: 'quantitative' },
      text: { field: 'token' },
      y: { datum: 0, type: 'quantitative' },
    },
  };
}
