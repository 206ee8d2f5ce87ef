/**
 * Loss curves: each series raw (faint) and smoothed with TensorBoard's debiased exponential
 * moving average, on a linear or log y scale:
 *   m_t = β m_{t−1} + (1 − β) y_t,  m_0 = 0,   smoothed_t = m_t / (1 − β^(t+1))
 * (the division removes the pull towards the zero start). The data set is named `points` so a
 * live view can append to it in place.
 */
import type { LossPayload } from '../../protocol/charts';
import { baseConfig, type Theme } from './theme';

export interface LossPoint {
  series: string;
  x: number;
  y: number;
  smooth: number;
}

/** Running state of the smoother of one series, so appended points continue it. */
export interface Smoother {
  m: number;
  n: number;
}

export function smoothInto(series: string, xs: readonly number[], ys: readonly number[], beta: number, state: Smoother, out: LossPoint[]): void {
  for (let k = 0; k < xs.length; k++) {
    const y = ys[k];
    if (!Number.isFinite(y)) continue;
    state.m = beta * state.m + (1 - beta) * y;
    state.n++;
    out.push({ series, x: xs[k], y, smooth: beta > 0 ? state.m / (1 - beta ** state.n) : y });
  }
}

export function lossPoints(p: LossPayload, beta: number): LossPoint[] {
  const out: LossPoint[] = [];
  for (const s of p.series) smoothInto(s.name, s.x, s.y, beta, { m: 0, n: 0 }, out);
  return out;
}

export function lossSpec(p: LossPayload, theme: Theme, options: { logScale: boolean; smoothing: number; width?: number }): Record<string, unknown> {
  const y = { field: 'y', type: 'quantitative', title: p.yTitle ?? 'loss', scale: options.logScale ? { type: 'log' } : { type: 'linear', zero: false } };
  const x = { field: 'x', type: 'quantitative', title: p.xTitle ?? 'step' };
  const color = { field: 'series', type: 'nominal', title: null, legend: p.series.length > 1 ? { orient: 'top' } : null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: p.title,
    config: baseConfig(theme),
    width: options.width ?? 640,
    height: 260,
    data: { name: 'points' },
    datasets: { points: lossPoints(p, options.smoothing) },
    layer: [
      { mark: { type: 'line', opacity: options.smoothing > 0 ? 0.25 : 1, strokeWidth: 1, clip: true }, encoding: { x, y, color } },
      ...(options.smoothing > 0
        ? [{ mark: { type: 'line', strokeWidth: 2, clip: true }, encoding: { x, y: { ...y, field: 'smooth' }, color, tooltip: [{ field: 'series' }, { field: 'x', title: 'step' }, { field: 'y', title: 'loss', format: '.5g' }, { field: 'smooth', title: 'smoothed', format: '.5g' }] } }]
        : []),
    ],
  };
}
