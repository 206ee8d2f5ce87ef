/**
 * The SVG fallback is a picture at the chart's size (a panel is PANEL_WIDTH × panelHeight
 * pixels): a 1,000-step × 256-unit panel has more cells than it has pixels, and at full size
 * its PNG makes a saved notebook megabytes heavier. So the fallback averages k × k boxes of
 * cells (k the smallest integer that fits the panel); the renderer keeps every cell.
 */

/** Box sizes along time and units that bring steps × units within width × height. */
export function boxes(steps: number, units: number, width: number, height: number): [number, number] {
  return [Math.max(1, Math.ceil(steps / width)), Math.max(1, Math.ceil(units / height))];
}

/**
 * values[t · units + u] averaged over boxes of kt steps × ku units (the last box of a row or
 * column may be smaller). NaN and null are left out of an average; a box of nothing else is NaN.
 */
export function downsample(
  values: ArrayLike<number | null>,
  steps: number,
  units: number,
  kt: number,
  ku: number,
): { values: Float64Array; steps: number; units: number } {
  const T = Math.ceil(steps / kt);
  const U = Math.ceil(units / ku);
  const sum = new Float64Array(T * U);
  const count = new Uint32Array(T * U);
  for (let t = 0; t < steps; t++) {
    const row = Math.floor(t / kt) * U;
    for (let u = 0; u < units; u++) {
      const v = values[t * units + u];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      const k = row + Math.floor(u / ku);
      sum[k] += v;
      count[k]++;
    }
  }
  const out = new Float64Array(T * U);
  for (let k = 0; k < out.length; k++) out[k] = count[k] ? sum[k] / count[k] : NaN;
  return { values: out, steps: T, units: U };
}
