/**
 * The safetensors codec against an independent reference: a file PyTorch's tensors were written
 * into by the specification's writer (test/fixtures/safetensors, Python standard library), read
 * back here; and files written here, read by the specification's reader in Python. Then a
 * model's weights round-trip, and malformed files get errors that say what is wrong.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { GRU } from '../../../core/gru';
import { Linear } from '../../../core/linear';
import { LSTM } from '../../../core/lstm';
import { Rng } from '../../../core/random';
import { loadSafetensors, saveSafetensors } from '../../../core/statedict';
import { decodeSafetensors } from '../../../core/statedict/safetensors';
import { Tensor } from '../../../core/tensor';
import { repoRoot } from '../../helpers/fixtures';

const FIXTURES = join(repoRoot(), 'test', 'fixtures', 'safetensors');
/** Any Python 3 (the reader needs only the standard library); the machine has one on PATH. */
const PYTHON = 'python3';

interface Expected {
  dtype: string;
  shape: number[];
  values: (number | string)[];
}
const number = (v: number | string) => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Number(v));

test('a file of PyTorch tensors in F32, F64, F16 and BF16 (0-D and empty too) reads as PyTorch reads it', () => {
  const bytes = readFileSync(join(FIXTURES, 'reference.safetensors'));
  const reference = JSON.parse(readFileSync(join(FIXTURES, 'reference.json'), 'utf8')) as {
    metadata: Record<string, string>;
    tensors: Record<string, Expected>;
  };
  const { tensors, metadata } = decodeSafetensors(bytes);
  assert.deepEqual(metadata, reference.metadata);
  assert.deepEqual(Object.keys(tensors).sort(), Object.keys(reference.tensors).sort());
  for (const [name, expected] of Object.entries(reference.tensors)) {
    const tensor = tensors[name];
    assert.deepEqual([...tensor.shape], expected.shape, name);
    assert.equal(tensor.dtype, expected.dtype === 'F64' ? 'float64' : 'float32', name);
    // Exact: every value fits the tensor's dtype (F16 and BF16 widen to float32 without rounding).
    assert.deepEqual([...tensor.data], expected.values.map(number), name);
  }
  // The public API gives the tensors, ready for loadStateDict.
  assert.deepEqual(Object.keys(loadSafetensors(new Uint8Array(bytes))).sort(), Object.keys(tensors).sort());
});

test('a file written here reads back, value for value, with the specification’s reader in Python', () => {
  const dir = mkdtempSync(join(tmpdir(), 'safetensors-'));
  try {
    const tensors = {
      weight_ih_l0: Tensor.from([
        [1.5, -2.25, 3],
        [Math.PI, -0, 1e-30],
      ]),
      bias64: Tensor.from([Math.E, -1 / 3, 1e300], undefined, 'float64'),
      scalar: new Tensor(new Float32Array([0.1]), []),
      empty: Tensor.zeros([0, 2]),
      'ünïcode name': Tensor.from([Infinity, -Infinity]),
    };
    const file = join(dir, 'ours.safetensors');
    writeFileSync(file, saveSafetensors(tensors, { metadata: { note: 'written by the test' } }));
    const read = spawnSync(PYTHON, [join(FIXTURES, 'read_safetensors.py'), file], { encoding: 'utf8' });
    assert.equal(read.status, 0, read.stderr);
    const parsed = JSON.parse(read.stdout) as Record<string, Expected> & { __metadata__: Record<string, string> };
    assert.deepEqual(parsed.__metadata__, { note: 'written by the test' });
    for (const [name, tensor] of Object.entries(tensors)) {
      assert.equal(parsed[name].dtype, tensor.dtype === 'float64' ? 'F64' : 'F32', name);
      assert.deepEqual(parsed[name].shape, [...tensor.shape], name);
      assert.deepEqual(parsed[name].values.map(number), [...tensor.data], name);
    }
    // The header is padded to a multiple of 8, as the reference writer pads it.
    const bytes = readFileSync(file);
    assert.equal(Number(bytes.readBigUInt64LE(0)) % 8, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a model’s weights round-trip under PyTorch’s names; loadStateDict takes them as they are', () => {
  for (const build of [
    (seed: number) => new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, rng: new Rng(seed) }),
    (seed: number) =>
      new GRU({ inputSize: 3, hiddenSize: 4, bidirectional: true, dtype: 'float64', rng: new Rng(seed) }),
  ]) {
    const trained = build(1);
    const fresh = build(2);
    const tensors = loadSafetensors(saveSafetensors(trained));
    assert.deepEqual(Object.keys(tensors), Object.keys(trained.stateDict()));
    fresh.loadStateDict(tensors);
    const x = new Tensor(
      new (trained.dtype === 'float64' ? Float64Array : Float32Array)(5 * 2 * 3).map((_, i) => Math.sin(i)),
      [5, 2, 3],
    );
    assert.deepEqual([...fresh.forward(x).output.data], [...trained.forward(x).output.data]);
  }
  const head = new Linear(4, 2);
  assert.deepEqual(Object.keys(loadSafetensors(saveSafetensors(head))), ['weight', 'bias']);
});

test('malformed files and bad arguments get errors naming what was expected and what was given', () => {
  const good = saveSafetensors({ w: Tensor.from([1, 2, 3]) });
  const headerLength = Number(Buffer.from(good).readBigUInt64LE(0));
  const withHeader = (header: unknown, data = new Uint8Array(0)) => {
    const json = Buffer.from(JSON.stringify(header));
    const out = Buffer.alloc(8 + json.length + data.length);
    out.writeBigUInt64LE(BigInt(json.length), 0);
    json.copy(out, 8);
    out.set(data, 8 + json.length);
    return new Uint8Array(out);
  };
  assert.throws(() => loadSafetensors(new Uint8Array(3)), /expected at least 8 bytes \(the header's length\), got 3/);
  assert.throws(
    () => loadSafetensors(good.subarray(0, 8 + headerLength - 1)),
    new RegExp(`the header claims ${headerLength} bytes, but the file has ${headerLength - 1}`),
  );
  assert.throws(() => loadSafetensors(withHeader('x')), /expected the header to be a JSON object, got "x"/);
  assert.throws(
    () => loadSafetensors(withHeader({ t: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8))),
    /tensor 't' is "I64", not a floating type: expected F64, F32, F16 or BF16/,
  );
  assert.throws(
    () => loadSafetensors(withHeader({ t: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8))),
    /tensor 't' \(F32, shape \[3\]\) needs 12 bytes, its offsets span 8/,
  );
  assert.throws(
    () =>
      loadSafetensors(
        withHeader(
          {
            a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
            b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] },
          },
          new Uint8Array(12),
        ),
      ),
    /tensor 'b' begins at byte 8 of the data, expected 4 \(tensors must tile the data with no gap or overlap\)/,
  );
  assert.throws(
    () => loadSafetensors(withHeader({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(8))),
    /the tensors cover 4 bytes of data, but the file has 8/,
  );
  assert.throws(
    () => loadSafetensors('weights' as unknown as Uint8Array),
    /expected the file's bytes \(a Uint8Array or Buffer\), got "weights"/,
  );
  assert.throws(() => saveSafetensors({ w: [1, 2] as unknown as Tensor }), /expected 'w' to be a Tensor, got/);
  assert.throws(
    () => saveSafetensors({ w: Tensor.zeros([1]) }, { metadata: { n: 1 as unknown as string } }),
    /expected __metadata__ to map strings to strings/,
  );
  assert.throws(() => saveSafetensors({ __metadata__: Tensor.zeros([1]) }), /a tensor cannot be named "__metadata__"/);
});
