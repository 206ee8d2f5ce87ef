/**
 * nn.RNN, nn.LSTM and nn.GRU against PyTorch: outputs, final states and every gradient of a
 * fixed scalar loss, from the fixtures test/fixtures/make_torch_fixtures.py wrote.
 *   float64: ≤ 1e-9 (abs + rel)        float32: ≤ 1e-4 relative
 * These run the JS reference engine; recurrent-wasm.test.ts runs the same cases on WebAssembly.
 */
import { test } from 'node:test';
import { getEngine, setEngine } from '../../../core/kernels/engine';
import { Linear } from '../../../core/linear';
import { LSTM } from '../../../core/lstm';
import { crossEntropyLoss } from '../../../core/loss';
import { Tape } from '../../../core/tape';
import { assertClose, EncodedTensor, loadFixture, toTensor, TOLERANCE } from '../../helpers/fixtures';
import { buildCase, checkCase, type RecurrentCase } from '../../helpers/recurrent-fixture';

const fixture = loadFixture('recurrent.json') as { cases: RecurrentCase[] };

for (const c of fixture.cases) {
  test(`${c.module} ${c.name} (${c.dtype}) matches PyTorch: output, final state, loss and every gradient`, () => {
    // On the JS engine: the reference (float32 cases run on WebAssembly in recurrent-wasm.test.ts).
    const before = getEngine();
    setEngine('js');
    try {
      checkCase(c, buildCase(c, c.dtype), c.dtype);
    } finally {
      setEngine(before);
    }
  });
}

test('LSTM → Linear → cross-entropy matches PyTorch: logits, loss and every gradient', () => {
  const f = loadFixture('lstm_linear_ce.json');
  const { rtol, atol } = TOLERANCE.float64;
  const sd = f.stateDict as Record<string, EncodedTensor>;
  const lstmDict = Object.fromEntries(Object.entries(sd).filter(([k]) => !k.startsWith('head.')));
  const [T, B, I] = f.input.shape as number[];
  const H = sd.weight_hh_l0.shape[1];
  const C = sd['head.weight'].shape[0];
  const model = new LSTM({ inputSize: I, hiddenSize: H, dtype: 'float64' }).loadStateDict(lstmDict);
  const head = new Linear(H, C, { dtype: 'float64' }).loadStateDict({
    weight: sd['head.weight'],
    bias: sd['head.bias'],
  });
  const x = toTensor(f.input).requireGrad();
  const tape = new Tape();
  const out = model.forward(x, { tape }).output;
  const logits = head.forward(out.reshape([T * B, H]), { tape });
  assertClose(logits.data, f.logits.data, rtol, atol, 'logits');
  const loss = crossEntropyLoss(logits, f.targets.data, { tape });
  assertClose(loss.data, [f.loss], rtol, atol, 'loss');
  tape.backward(loss);
  const grads = {
    ...model.gradients(),
    ...Object.fromEntries(Object.entries(head.namedParameters()).map(([, [n, p]]) => [`head.${n}`, p.gradTensor()!])),
  };
  for (const name of Object.keys(sd)) assertClose(grads[name].data, f.grads[name].data, rtol, atol, `∂L/∂${name}`);
  assertClose(x.grad!, f.grads.input.data, rtol, atol, '∂L/∂input');
});
