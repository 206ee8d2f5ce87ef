// Draws media/icon.png (128 × 128): a small gate heatmap — four rows of cells in the viridis
// colours the charts use, under a bar for the cell state — and the Jupyter kernelspec's logos
// (media/logo-64x64.png, logo-32x32.png: the same picture, averaged over 2×2 and 4×4 boxes).
// Run once; the PNGs are committed.
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { scheme } from 'vega';

const size = 128;
const png = new PNG({ width: size, height: size });
const viridis = scheme('viridis');
const rgb = (css) => css.match(/\d+/g).map(Number);
const put = (x, y, [r, g, b], a = 255) => {
  const p = 4 * (y * size + x);
  png.data.set([r, g, b, a], p);
};
for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) put(x, y, [30, 30, 46]);
// Four gate rows (i, f, g, o) of eight steps each; values follow a fixed wave, so the icon never changes.
for (let row = 0; row < 4; row++) {
  for (let step = 0; step < 8; step++) {
    const v = 0.5 + 0.5 * Math.sin(1.3 * step + 2.1 * row);
    const colour = rgb(viridis(v));
    for (let y = 14 + row * 20; y < 14 + row * 20 + 17; y++)
      for (let x = 10 + step * 14; x < 10 + step * 14 + 12; x++) put(x, y, colour);
  }
}
// The cell state: a straight bright line, the "conveyor belt".
for (let y = 100; y < 108; y++) for (let x = 10; x < 118; x++) put(x, y, [253, 231, 37]);
writeFileSync(new URL('../media/icon.png', import.meta.url), PNG.sync.write(png));

for (const logo of [64, 32]) {
  const k = size / logo;
  const small = new PNG({ width: logo, height: logo });
  for (let y = 0; y < logo; y++)
    for (let x = 0; x < logo; x++)
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        for (let dy = 0; dy < k; dy++)
          for (let dx = 0; dx < k; dx++) sum += png.data[4 * ((y * k + dy) * size + x * k + dx) + c];
        small.data[4 * (y * logo + x) + c] = Math.round(sum / (k * k));
      }
  writeFileSync(new URL(`../media/logo-${logo}x${logo}.png`, import.meta.url), PNG.sync.write(small));
}
