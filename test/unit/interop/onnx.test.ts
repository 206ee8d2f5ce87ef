/**
 * exportOnnx against a real engine: ONNX Runtime (onnxruntime-node, a devDependency) loads each
 * exported graph and runs it; its outputs equal our forward within 1e-5 for LSTM (standard,
 * peephole, CIFG, no bias), GRU (both reset forms), RNN (tanh, relu), stacked, bidirectional,
 * batch-first, with initial states and with a head. Variants ONNX has no operator for are refused.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { GRU } from '../../../core/gru';
import { Linear } from '../../../core/linear';
import { LSTM } from '../../../core/lstm';
import { Rng } from '../../../core/random';
import type { RecurrentModel } from '../../../core/recurrent/model';
import { RNN } from '../../../core/rnn';
import { Tensor } from '../../../core/tensor';
import { exportOnnx } from '../../../interop/onnx';
import { assertClose } from '../../helpers/fixtures';

const T = 7;
const B = 3;
const I = 4;
const H = 5;

function sequence(shape: number[], seed: number): Tensor {
  const rng = new Rng(seed);
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => rng.normal());
  return new Tensor(data, shape);
}

async function run(bytes: Uint8Array, feeds: Record<string, Tensor>): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(bytes);
  const inputs = Object.fromEntries(
    Object.entries(feeds).map(([name, t]) => [
      name,
      new ort.Tensor('float32', Float32Array.from(t.data), [...t.shape]),
    ]),
  );
  return (await session.run(inputs)) as Record<string, ort.Tensor>;
}

function close(actual: ort.Tensor, expected: Tensor, what: string): void {
  assert.deepEqual([...actual.dims], [...expected.shape], `${what}: shape`);
  assertClose(actual.data as Float32Array, expected.data, 0, 1e-5, what);
}

const cases: [string, () => RecurrentModel][] = [
  ['LSTM', () => new LSTM({ inputSize: I, hiddenSize: H, rng: new Rng(1) })],
  [
    'LSTM, 2 layers, bidirectional',
    () => new LSTM({ inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true, rng: new Rng(2) }),
  ],
  ['LSTM with peepholes', () => new LSTM({ inputSize: I, hiddenSize: H, variant: 'peephole', rng: new Rng(3) })],
  [
    'LSTM, CIFG (coupled input and forget gates)',
    () => new LSTM({ inputSize: I, hiddenSize: H, variant: 'cifg', numLayers: 2, rng: new Rng(4) }),
  ],
  [
    'LSTM without bias, batch first',
    () => new LSTM({ inputSize: I, hiddenSize: H, bias: false, batchFirst: true, rng: new Rng(5) }),
  ],
  ['GRU (reset after, PyTorch’s)', () => new GRU({ inputSize: I, hiddenSize: H, numLayers: 2, rng: new Rng(6) })],
  [
    'GRU (reset before, Cho’s), bidirectional',
    () => new GRU({ inputSize: I, hiddenSize: H, resetAfter: false, bidirectional: true, rng: new Rng(7) }),
  ],
  ['RNN tanh', () => new RNN({ inputSize: I, hiddenSize: H, rng: new Rng(8) })],
  [
    'RNN relu, 2 layers, bidirectional',
    () =>
      new RNN({
        inputSize: I,
        hiddenSize: H,
        nonlinearity: 'relu',
        numLayers: 2,
        bidirectional: true,
        rng: new Rng(9),
      }),
  ],
];

for (const [name, build] of cases) {
  test(`${name}: ONNX Runtime gives our output and final states`, async () => {
    const model = build();
    // Non-zero biases everywhere, so a bias in the wrong slot shows.
    const x = sequence(model.batchFirst ? [B, T, I] : [T, B, I], 11);
    const ours = model.forward(x);
    const theirs = await run(exportOnnx(model), { input: x });
    close(theirs.output, ours.output, `${name} output`);
    close(theirs.h_n, ours.state.h, `${name} h_n`);
    if (ours.state.c) close(theirs.c_n, ours.state.c, `${name} c_n`);
  });
}

test('initial states as inputs (state: true), and a head at every step', async () => {
  const model = new LSTM({ inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true, rng: new Rng(12) });
  const head = new Linear(2 * H, 3);
  const x = sequence([T, B, I], 13);
  const state = { h: sequence([4, B, H], 14), c: sequence([4, B, H], 15) };
  const ours = model.forward(x, { state });
  const theirs = await run(exportOnnx([model, head], { state: true }), { input: x, h0: state.h, c0: state.c });
  close(theirs.output, ours.output, 'output');
  close(theirs.h_n, ours.state.h, 'h_n');
  close(theirs.c_n, ours.state.c!, 'c_n');
  close(theirs.logits, head.forward(ours.output), 'logits');
});

test('what ONNX has no operator for, and what is not a model, is refused by name', () => {
  for (const variant of ['nig', 'nfg', 'nog', 'niaf', 'noaf', 'fgr'] as const)
    assert.throws(
      () => exportOnnx(new LSTM({ inputSize: 2, hiddenSize: 3, variant })),
      new RegExp(
        `exportOnnx: ONNX's LSTM operator has no form for the ${variant} variant .*; standard, peephole, np and cifg LSTMs export`,
      ),
    );
  assert.throws(
    () => exportOnnx([new LSTM({ inputSize: 2, hiddenSize: 3 }), new Linear(4, 1)]),
    /exportOnnx: the head takes 4 features, but LSTM\(2 → 3\) gives 3 per step/,
  );
  assert.throws(
    () => exportOnnx(new Linear(2, 3) as unknown as RecurrentModel),
    /expected a recurrent model or \[model, head\] with head a Linear, got a Linear/,
  );
  assert.throws(
    () => exportOnnx(new GRU({ inputSize: 2, hiddenSize: 3 }), { states: true } as never),
    /exportOnnx: unknown option "states"; expected one of state, name/,
  );
  const intervened = new LSTM({ inputSize: 2, hiddenSize: 3 });
  const fix = intervened.intervene({ on: 'h', units: [1] });
  assert.throws(
    () => exportOnnx(intervened),
    /exportOnnx: LSTM\(2 → 3, 1 intervention\) has active interventions \(h unit 1 of layer 0 zeroed\) that the exported model cannot carry; remove\(\) them first/,
  );
  fix.remove();
  assert.ok(exportOnnx(intervened).length > 0, 'exports once removed');
});
