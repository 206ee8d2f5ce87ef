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

/**
 * The named data sets a brushable chart draws from, filled by the renderer as the reader drags
 * (renderer/brush.ts): the brushed span { panel, from, to }, the selected units { u }, and the
 * count of them on per step { t, n }.
 */
export const BRUSH_DATA = { span: 'lstm_span', units: 'lstm_units', counts: 'lstm_counts' } as const;

/**
 * `imageUrl(panel)` gives a PNG data URL of the panel's pixels (canvas in the browser, PNG encoder
 * in Node). `brushable` adds the layers of a unit selection (the span, the selected units' rows
 * in every panel) and a count track beneath, all empty until the renderer fills BRUSH_DATA.
 */
export function gatesSpec(
  p: GatesPayload,
  theme: Theme,
  imageUrl: (panel: GatePanel) => string,
  brushable = false,
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
    vconcat: p.panels
      .map((panel, index): Record<string, unknown> => ({
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
          ...(brushable ? selectionLayers(index, p, theme) : []),
        ],
        resolve: { scale: { color: 'independent' } },
      }))
      .concat(brushable ? [countTrack(p, theme)] : []),
    resolve: { scale: { color: 'independent' } },
  };
}

/** The brushed span (in its own panel) and the selected units' rows (in every panel). */
function selectionLayers(index: number, p: GatesPayload, theme: Theme): Record<string, unknown>[] {
  const accent = theme.palette[3];
  const x = { type: 'quantitative', scale: { domain: [0, p.steps], nice: false, zero: true } };
  const y = { type: 'quantitative', scale: { domain: [0, p.units], nice: false, reverse: true } };
  return [
    {
      data: { name: BRUSH_DATA.span },
      transform: [{ filter: `datum.panel === ${index}` }],
      mark: { type: 'rect', fill: accent, fillOpacity: 0.15, stroke: accent, strokeWidth: 1 },
      encoding: { x: { field: 'from', ...x }, x2: { field: 'to' }, y: { datum: 0, ...y }, y2: { datum: p.units } },
    },
    {
      data: { name: BRUSH_DATA.units },
      mark: { type: 'rect', fillOpacity: 0, stroke: accent, strokeWidth: 1.5 },
      encoding: { x: { datum: 0, ...x }, x2: { datum: p.steps }, y: { field: 'u', ...y }, y2: { field: 'u1' } },
    },
  ];
}

/** Beneath the panels: how many of the selected units are on at each step. */
function countTrack(p: GatesPayload, theme: Theme): Record<string, unknown> {
  return {
    title: { text: 'selected units on, per step', fontSize: 11 },
    width: PANEL_WIDTH,
    height: 48,
    data: { name: BRUSH_DATA.counts },
    mark: { type: 'rect', fill: theme.palette[3] },
    encoding: {
      x: {
        field: 't',
        type: 'quantitative',
        scale: { domain: [0, p.steps], nice: false, zero: true },
        axis: { title: null },
      },
      x2: { field: 't1' },
      y: { field: 'n', type: 'quantitative', axis: { title: 'units', tickMinStep: 1 } },
      y2: { datum: 0 },
    },
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
