/** Colours and fonts of the host (VS Code's theme in the renderer, a neutral light theme in SVG). */
export interface Theme {
  foreground: string;
  background: string;
  grid: string;
  font: string;
  /** Categorical colours for series. */
  palette: string[];
}

export const LIGHT_THEME: Theme = {
  foreground: '#333333',
  background: '#ffffff',
  grid: '#dddddd',
  font: 'sans-serif',
  palette: [
    '#1f77b4',
    '#ff7f0e',
    '#2ca02c',
    '#d62728',
    '#9467bd',
    '#8c564b',
    '#e377c2',
    '#7f7f7f',
    '#bcbd22',
    '#17becf',
    '#393b79',
    '#637939',
  ],
};

/** The vega-lite config every chart shares: transparent background, theme colours. */
export function baseConfig(theme: Theme): Record<string, unknown> {
  return {
    background: theme.background,
    font: theme.font,
    view: { stroke: null },
    axis: {
      labelColor: theme.foreground,
      titleColor: theme.foreground,
      gridColor: theme.grid,
      domainColor: theme.foreground,
      tickColor: theme.foreground,
    },
    legend: { labelColor: theme.foreground, titleColor: theme.foreground },
    title: { color: theme.foreground, anchor: 'start', fontSize: 13 },
    header: { labelColor: theme.foreground, titleColor: theme.foreground },
    range: { category: theme.palette },
  };
}
