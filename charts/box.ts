/**
 * Box plots, one row per group in the payload's order (a sweep's best variant on top): whiskers
 * from min to max (no outliers hidden — with three seeds every run matters), the box from the
 * first to the third quartile, a tick at the median, and every value as a dot over it. Dots are
 * not jittered: a random jitter would make the saved SVG differ on every run.
 */
import type { BoxPayload } from '../protocol/chart-payloads';
import { baseConfig, type Theme } from './theme';

const ROW_HEIGHT = 26;

export function boxSpec(p: BoxPayload, theme: Theme): Record<string, unknown> {
  const values = p.groups.flatMap((g) =>
    g.values.map((value, k) => ({ group: g.name, value, label: g.labels?.[k] ?? `value ${k + 1}` })),
  );
  const group = {
    field: 'group',
    type: 'nominal',
    title: null,
    sort: p.groups.map((g) => g.name),
    axis: { labelLimit: 240 },
  };
  const value = {
    field: 'value',
    type: 'quantitative',
    title: p.valueTitle,
    scale: p.logScale ? { type: 'log' } : { type: 'linear', zero: false },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: p.title,
    config: baseConfig(theme),
    width: 520,
    height: ROW_HEIGHT * p.groups.length,
    data: { values },
    layer: [
      {
        mark: {
          type: 'boxplot',
          extent: 'min-max',
          size: 14,
          color: theme.palette[0],
          opacity: 0.45,
          median: { color: theme.foreground },
          rule: { color: theme.foreground },
        },
        encoding: { y: group, x: value },
      },
      {
        mark: { type: 'point', filled: true, size: 28, color: theme.foreground, opacity: 0.8 },
        encoding: {
          y: group,
          x: value,
          tooltip: [{ field: 'group', title: 'variant' }, { field: 'label' }, { field: 'value', format: '.4g' }],
        },
      },
    ],
  };
}
