/**
 * Loss curves: each series raw (faint) and smoothed (debiased exponential moving average), on a
 * linear or log y scale. The rows come from LossRows (bounded, see loss-rows.ts) in a data set
 * named `points`, so a live view can replace its last rows in place.
 */
import type { LossPayload } from '../protocol/chart-payloads';
import { LossRows } from './loss-rows';
import { baseConfig, type Theme } from './theme';

/** The rows of a whole payload. */
export function lossRows(p: LossPayload, beta: number): LossRows {
  const rows = new LossRows(beta);
  for (const s of p.series) rows.append(s.name, s.x, s.y);
  return rows;
}

/** `rows`: the renderer passes the LossRows it keeps appending to; otherwise built from the payload. */
export function lossSpec(
  p: LossPayload,
  theme: Theme,
  options: { logScale: boolean; smoothing: number; width?: number; rows?: LossRows },
): Record<string, unknown> {
  const y = {
    field: 'y',
    type: 'quantitative',
    title: p.yTitle ?? 'loss',
    scale: options.logScale ? { type: 'log' } : { type: 'linear', zero: false },
  };
  const x = { field: 'x', type: 'quantitative', title: p.xTitle ?? 'step' };
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    legend: p.series.length > 1 ? { orient: 'top' } : null,
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: p.title,
    config: baseConfig(theme),
    width: options.width ?? 640,
    height: 260,
    data: { name: 'points' },
    datasets: { points: (options.rows ?? lossRows(p, options.smoothing)).rows() },
    layer: [
      {
        mark: { type: 'line', opacity: options.smoothing > 0 ? 0.25 : 1, strokeWidth: 1, clip: true },
        encoding: { x, y, color },
      },
      ...(options.smoothing > 0
        ? [
            {
              mark: { type: 'line', strokeWidth: 2, clip: true },
              encoding: {
                x,
                y: { ...y, field: 'smooth' },
                color,
                tooltip: [
                  { field: 'series' },
                  { field: 'x', title: 'step' },
                  { field: 'y', title: 'loss', format: '.5g' },
                  { field: 'smooth', title: 'smoothed', format: '.5g' },
                ],
              },
            },
          ]
        : []),
    ],
  };
}
