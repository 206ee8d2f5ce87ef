/**
 * Colour scales of the heatmaps, as lookup tables: gates (σ, on [0, 1]) use viridis, tanh
 * quantities (candidate, c_t, h_t, on [−1, 1]) a diverging blue–orange. The same tables colour
 * the browser's canvas and the SVG fallback's PNG, and name the legend's scheme.
 */
import { scheme } from 'vega';

const GATE_SCHEME = 'viridis';
const TANH_SCHEME = 'blueorange';

/** 256 RGB triples sampled from a vega colour scheme. */
export function colourTable(name: string): Uint8Array {
  const interpolate = scheme(name) as (t: number) => string;
  const table = new Uint8Array(256 * 3);
  for (let k = 0; k < 256; k++) {
    const [r, g, b] = parseColour(interpolate(k / 255));
    table.set([r, g, b], 3 * k);
  }
  return table;
}

export function schemeFor(range: [number, number]): string {
  return range[0] < 0 ? TANH_SCHEME : GATE_SCHEME;
}

/** RGBA pixels of a panel: row u (top = unit 0), column t; values clamped to the range. */
export function heatmapPixels(
  values: ArrayLike<number>,
  steps: number,
  units: number,
  range: [number, number],
  table: Uint8Array,
): Uint8ClampedArray<ArrayBuffer> {
  const pixels = new Uint8ClampedArray(steps * units * 4);
  const [lo, hi] = range;
  for (let t = 0; t < steps; t++) {
    for (let u = 0; u < units; u++) {
      const v = values[t * units + u];
      const k = Math.round(255 * Math.min(1, Math.max(0, (v - lo) / (hi - lo))));
      const p = 4 * (u * steps + t);
      pixels[p] = table[3 * k];
      pixels[p + 1] = table[3 * k + 1];
      pixels[p + 2] = table[3 * k + 2];
      pixels[p + 3] = Number.isFinite(v) ? 255 : 0;
    }
  }
  return pixels;
}

function parseColour(css: string): [number, number, number] {
  const rgb = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(css);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  const hex = /^#([0-9a-f]{6})$/i.exec(css);
  if (hex) return [0, 2, 4].map((i) => parseInt(hex[1].slice(i, i + 2), 16)) as [number, number, number];
  throw new Error(`unexpected colour ${css}`);
}
