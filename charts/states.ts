/** Cell-state trajectories: c_t and h_t of chosen units over time, and the PCA path of h_t. */
import type { StatesPayload } from '../protocol/chart-payloads';
import { baseConfig, type Theme } from './theme';

export function statesSpec(p: StatesPayload, theme: Theme): Record<string, unknown> {
  const rows: Array<{ t: number; unit: string; quantity: string; value: number }> = [];
  p.units.forEach((u, k) => {
    for (let t = 0; t < p.steps; t++) {
      rows.push({ t, unit: `unit ${u}`, quantity: 'h_t', value: p.h[k][t] });
      if (p.c) rows.push({ t, unit: `unit ${u}`, quantity: 'c_t', value: p.c[k][t] });
    }
  });
  const trajectories = {
    width: 440,
    height: 260,
    title: { text: p.c ? 'c_t (solid) and h_t (dashed)' : 'h_t', fontSize: 11 },
    data: { values: rows },
    mark: { type: 'line' },
    encoding: {
      x: { field: 't', type: 'quantitative', title: 'time step' },
      y: { field: 'value', type: 'quantitative', title: null },
      color: { field: 'unit', type: 'nominal', title: null, sort: null },
      strokeDash: { field: 'quantity', type: 'nominal', title: null, sort: ['c_t', 'h_t'] },
      tooltip: [
        { field: 'unit' },
        { field: 'quantity' },
        { field: 't', title: 'step' },
        { field: 'value', format: '.4f' },
      ],
    },
  };
  const charts: Record<string, unknown>[] = [trajectories];
  if (p.pca) {
    const { x, y, explained } = p.pca;
    charts.push({
      width: 260,
      height: 260,
      title: {
        text: `h_t on its first two principal components (${(100 * (explained[0] + explained[1])).toFixed(0)} % of variance)`,
        fontSize: 11,
      },
      data: { values: x.map((xv, t) => ({ t, pc1: xv, pc2: y[t] })) },
      layer: [
        {
          mark: { type: 'line', color: theme.grid },
          encoding: {
            x: { field: 'pc1', type: 'quantitative', title: 'PC 1' },
            y: { field: 'pc2', type: 'quantitative', title: 'PC 2' },
            order: { field: 't' },
          },
        },
        {
          mark: { type: 'point', filled: true, size: 25 },
          encoding: {
            x: { field: 'pc1', type: 'quantitative' },
            y: { field: 'pc2', type: 'quantitative' },
            color: { field: 't', type: 'quantitative', title: 'step', scale: { scheme: 'viridis' } },
            tooltip: [
              { field: 't', title: 'step' },
              { field: 'pc1', format: '.3f' },
              { field: 'pc2', format: '.3f' },
            ],
          },
        },
      ],
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: p.title,
    config: baseConfig(theme),
    hconcat: charts,
  };
}
