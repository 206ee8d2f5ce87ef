/**
 * Gate saturation (Karpathy, Johnson & Fei-Fei 2015, "Visualizing and Understanding Recurrent
 * Networks", fig. 3): one point per gate unit, at (fraction of steps below `low`, fraction
 * above `high`; 0.1 and 0.9 by default, the payload says which).
 * Units near the left axis are right-saturated (almost always open), near the bottom
 * left-saturated (almost always shut); the diagonal band holds units that switch.
 */
import type { SaturationPayload } from '../protocol/chart-payloads';
import { baseConfig, type Theme } from './theme';

export function saturationSpec(p: SaturationPayload, theme: Theme): Record<string, unknown> {
  const { layer, gate, unit, left, right } = p.points;
  const values = unit.map((u, k) => ({
    layer: `layer ${layer[k]}`,
    gate: gate[k],
    unit: u,
    left: left[k],
    right: right[k],
  }));
  const axis = (title: string) => ({ type: 'quantitative', title, scale: { domain: [0, 1] } });
  const low = p.low ?? 0.1;
  const high = p.high ?? 0.9;
  const xTitle = `fraction left-saturated (< ${low})`;
  const yTitle = `fraction right-saturated (> ${high})`;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: p.title,
    config: baseConfig(theme),
    data: { values },
    facet: { column: { field: 'layer', type: 'nominal', title: null } },
    spec: {
      width: 260,
      height: 260,
      layer: [
        {
          data: {
            values: [
              { a: 0, b: 1 },
              { a: 1, b: 0 },
            ],
          },
          mark: { type: 'line', strokeDash: [4, 4], color: theme.grid },
          encoding: { x: { field: 'a', ...axis(xTitle) }, y: { field: 'b', ...axis(yTitle) } },
        },
        {
          mark: { type: 'point', filled: true, opacity: 0.75, size: 30 },
          encoding: {
            x: { field: 'left', ...axis(xTitle) },
            y: { field: 'right', ...axis(yTitle) },
            color: { field: 'gate', type: 'nominal', title: 'gate' },
            tooltip: [
              { field: 'layer' },
              { field: 'gate' },
              { field: 'unit' },
              { field: 'left', format: '.3f' },
              { field: 'right', format: '.3f' },
            ],
          },
        },
      ],
    },
  };
}
