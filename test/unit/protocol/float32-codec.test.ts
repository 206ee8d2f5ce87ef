/**
 * Large gate panels travel as base64 float32: the codec against Node's own Buffer, a large
 * payload's values against the trace's tensor, and the validation of broken data.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seed } from '../../../core/random';
import { LSTM } from '../../../core/lstm';
import { Tensor } from '../../../core/tensor';
import { gatesPayload } from '../../../plot/builders';
import { decodeF32, encodeF32, F32_THRESHOLD } from '../../../protocol/float32-codec';
import { MIME } from '../../../protocol/chart-payloads';
import { validatePayload } from '../../../protocol/validate-chart-payloads';

/** Node's base64 of the little-endian float32 bytes (this machine is little-endian, checked). */
function nodeBase64(values: number[]): string {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, k) => b.writeFloatLE(v, 4 * k));
  return b.toString('base64');
}

test('the codec agrees with Buffer for every padding, and decodes what Buffer encodes', () => {
  for (const values of [[], [1.5], [-2, 0.1], [0, NaN, 1e-30], [3.14159, -0, Infinity, 7, 1 / 3]]) {
    assert.equal(encodeF32(values), nodeBase64(values), JSON.stringify(values));
    assert.deepEqual(Array.from(decodeF32(nodeBase64(values))), values.map(Math.fround), JSON.stringify(values));
  }
  const many = Array.from({ length: 50_001 }, (_, k) => Math.sin(k) * 10 ** ((k % 9) - 4));
  assert.equal(encodeF32(many), nodeBase64(many));
});

test('a large gate panel is float32 base64 holding act[t, sample, u] exactly as float32', () => {
  seed(5);
  const H = 128;
  const T = 100;
  const trace = new LSTM({ inputSize: 2, hiddenSize: H }).forward(Tensor.randn([T, 2, 2]), { trace: true }).trace!;
  assert.ok(T * H > F32_THRESHOLD);
  const p = gatesPayload(trace, { sample: 1 });
  const f = p.panels[1];
  assert.equal(typeof f.values, 'string');
  const bytes = Buffer.from(f.values as string, 'base64');
  assert.equal(bytes.length, 4 * T * H);
  for (const [t, u] of [
    [0, 0],
    [50, 77],
    [99, 127],
  ]) {
    assert.equal(bytes.readFloatLE(4 * (t * H + u)), Math.fround(trace.layers[0].gates.f.act.get(t, 1, u)));
  }
  assert.equal(validatePayload(MIME.gates, JSON.parse(JSON.stringify(p))), null);
  // The JSON is about 5.3 characters a value, not ~9.
  assert.ok(JSON.stringify(p).length < 6 * 6 * T * H, `${JSON.stringify(p).length} characters`);
});

test('truncated or foreign base64 panel data is refused with what was expected', () => {
  seed(5);
  const trace = new LSTM({ inputSize: 2, hiddenSize: 128 }).forward(Tensor.randn([100, 1, 2]), { trace: true }).trace!;
  const p = gatesPayload(trace);
  const values = p.panels[2].values as string;
  const broken = (v: string) => ({ ...p, panels: p.panels.map((x, k) => (k === 2 ? { ...x, values: v } : x)) });
  // 51,200 bytes are 17,066 full 4-character groups and a last one holding 2 bytes ("xxx=");
  // dropping the last two groups leaves 17,065 × 3 = 51,195 bytes.
  assert.equal(
    validatePayload(MIME.gates, broken(values.slice(0, -8))),
    'expected panels[2].values to hold 12800 float32 numbers (51200 bytes), got 51195 bytes',
  );
  assert.match(
    validatePayload(MIME.gates, broken(values.slice(0, -1))) ?? '',
    /panels\[2\]\.values to be a list of numbers or base64 float32 data, got a string that is not base64/,
  );
  assert.match(validatePayload(MIME.gates, broken('<img src=x>'.padEnd(12, ' '))) ?? '', /not base64/);
});
