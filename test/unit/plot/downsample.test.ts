/** The SVG fallback's heatmaps at the chart's size: box averages worked out by hand, and PNG sizes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seed } from '../../../core/random';
import { LSTM } from '../../../core/lstm';
import { Tensor } from '../../../core/tensor';
import { boxes, downsample } from '../../../plot/downsample';
import { plot } from '../../../plot/index';

test('box averages over time and units, ragged last boxes, NaN and null left out', () => {
  // steps = 3, units = 4, values[t · 4 + u]:
  //   t=0: 1 2 3 4   t=1: 5 6 7 8   t=2: 9 NaN null 12
  const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, NaN, null, 12];
  const r = downsample(values, 3, 4, 2, 2);
  assert.equal(r.steps, 2);
  assert.equal(r.units, 2);
  // Box (t 0–1, u 0–1): 1 2 5 6 → 3.5; (t 0–1, u 2–3): 3 4 7 8 → 5.5; (t 2, u 0–1): 9 → 9; (t 2, u 2–3): 12 → 12.
  assert.deepEqual(Array.from(r.values), [3.5, 5.5, 9, 12]);
  assert.ok(Number.isNaN(downsample([NaN, null], 1, 2, 1, 2).values[0]));
  assert.deepEqual(boxes(1000, 256, 640, 220), [2, 2]);
  assert.deepEqual(boxes(40, 12, 640, 60), [1, 1]);
});

/** Width and height of each PNG inside an SVG (IHDR: bytes 16–23 of the file). */
function pngSizes(svg: string): Array<[number, number]> {
  return [...svg.matchAll(/href="data:image\/png;base64,([A-Za-z0-9+/=]+)"/g)].map((m) => {
    const png = Buffer.from(m[1], 'base64');
    return [png.readUInt32BE(16), png.readUInt32BE(20)];
  });
}

test('a 1,000-step × 256-unit gate chart embeds 500 × 128 pictures; a small one every cell', async () => {
  seed(2);
  const model = new LSTM({ inputSize: 2, hiddenSize: 256 });
  const big = await plot.gates(model.forward(Tensor.randn([1000, 1, 2]), { trace: true }).trace!).toBundle();
  assert.deepEqual(pngSizes(big['image/svg+xml'] as string), Array(6).fill([500, 128]));
  const small = await plot
    .gates(new LSTM({ inputSize: 2, hiddenSize: 7 }).forward(Tensor.randn([30, 1, 2]), { trace: true }).trace!)
    .toBundle();
  assert.deepEqual(pngSizes(small['image/svg+xml'] as string), Array(6).fill([30, 7]));
});
