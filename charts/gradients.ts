/** Gradient flow through time: ‖∂L/∂h_t‖ and ‖∂L/∂c_t‖ against the lag T−1−t, log scale. */
import type { GradientsPayload } from '../protocol/chart-payloads';
import { baseConfig, type Theme } from './theme';

export function gradientsSpec(p: GradientsPayload, theme: Theme): Record<string, unknown> {
  const values = p.series.flatMap((s) =>
    s.x
      .map((lag, k) => ({ run: s.run, quantity: s.quantity === 'c' ? '‖∂L/∂c_t‖' : '‖∂L/∂h_t‖', lag, norm: s.y[k] }))
      .filter((d) => d.norm > 0),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: p.title,
    config: baseConfig(theme),
    width: 640,
    height: 280,
    data: { values },
    mark: { type: 'line', point: { size: 12 } },
    encoding: {
      x: { field: 'lag', type: 'quantitative', title: 'time steps back from the loss (T − 1 − t)' },
      y: {
        field: 'norm',
        type: 'quantitative',
        title: 'gradient norm',
        scale: { type: 'log' },
        axis: { format: '.0e' },
      },
      color: { field: 'run', type: 'nominal', title: 'model' },
      strokeDash: { field: 'quantity', type: 'nominal', title: null },
      tooltip: [
        { field: 'run', title: 'model' },
        { field: 'quantity' },
        { field: 'lag' },
        { field: 'norm', format: '.3e' },
      ],
    },
  };
}
