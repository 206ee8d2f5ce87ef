/**
 * Tensors printed as PyTorch prints them: every case of test/fixtures/tensor-print (made by
 * PyTorch's own str(), see make_tensor_print_fixture.py) printed by core/format/tensor.ts, and
 * compared character for character — 0-D to 4-D, int and scientific modes, nan and ±inf, −0,
 * exact ties (Python rounds them to even), 80-column wrapping, summaries past 1000 elements,
 * float64's suffix, empty shapes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatTensor } from '../../../core/format/tensor';
import { Tensor } from '../../../core/tensor';
import { repoRoot } from '../../helpers/fixtures';

interface Case {
  name: string;
  dtype: 'float32' | 'float64';
  shape: number[];
  data: (number | string)[];
  expected: string;
}

const fixture = JSON.parse(
  readFileSync(join(repoRoot(), 'test', 'fixtures', 'tensor-print', 'tensor_print.json'), 'utf8'),
) as { torch: string; cases: Case[] };
const number = (v: number | string) =>
  v === 'nan' ? Number.NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : (v as number);

for (const c of fixture.cases) {
  test(`prints as PyTorch ${fixture.torch} does: ${c.name}`, () => {
    const data = c.dtype === 'float64' ? Float64Array.from(c.data, number) : Float32Array.from(c.data, number);
    assert.equal(formatTensor(new Tensor(data, c.shape)), c.expected);
  });
}
