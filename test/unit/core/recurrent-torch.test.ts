/**
 * nn.RNN, nn.LSTM and nn.GRU against PyTorch: outputs, final states and every gradient of a
 * fixed scalar loss, from the fixtures test/fixtures/make_torch_fixtures.py wrote.
 *   float64: ≤ 1e-9 (abs + rel)        float32: ≤ 1e-4 relative
 */
import { test } from 'node:test';
import { GRU } from '../../../core/gru';
import { Linear } from '../../../core/linear';
import { LSTM } from '../../../core/lstm';
import { crossEntropyLoss } from '../../../core/loss';
import { addScalars, weightedSum } from '../../../core/ops';
import type { RecurrentModel } from '../../../core/recurrent/model';
import { RNN } from '../../../core/rnn';
import { Tape } from '../../../core/tape';
import type { DType } from '../../../core/dtype';
import { assertClose, EncodedTensor, loadFixture, toTensor, TOLERANCE } from '../../helpers/fixtures';

interface RecurrentCase {
  name: string;
  module: 'LSTM' | 'GRU' | 'RNN';
  config: { inputSize: number; hiddenSize: number; numLayers: number; bidirectional: boolean; batchFirst: boolean; nonlinearity?: 'tanh' | 'relu'; bias: boolean };
  dtype: DType;
  stateDict: Record<string, EncodedTensor>;
  input: EncodedTensor;
  h0: EncodedTensor | null;
  c0: EncodedTensor | null;
  output: EncodedTensor;
  hn: EncodedTensor;
  cn: EncodedTensor | null;
  lossWeights: { output: EncodedTensor; hn: EncodedTensor; cn: EncodedTensor | null };
  loss: number;
  grads: Record<string, EncodedTensor | null>;
}

function build(c: RecurrentCase): RecurrentModel {
  const { inputSize, hiddenSize, numLayers, bidirectional, batchFirst, bias } = c.config;
  const common = { inputSize, hiddenSize, numLayers, bidirectional, batchFirst, bias, dtype: c.dtype };
  const model = c.module === 'LSTM' ? new LSTM(common) : c.module === 'GRU' ? new GRU(common) : new RNN({ ...common, nonlinearity: c.config.nonlinearity ?? 'tanh' });
  // PyTorch's layout is ours: the fixture's state dict loads by name, strictly.
  model.loadStateDict(c.stateDict, { layout: 'torch' });
  return model;
}

const fixture = loadFixture('recurrent.json') as { cases: RecurrentCase[] };

for (const c of fixture.cases) {
  test(`${c.module} ${c.name} (${c.dtype}) matches PyTorch: output, final state, loss and every gradient`, () => {
    const { rtol, atol } = TOLERANCE[c.dtype];
    const model = build(c);
    const x = toTensor(c.input, c.dtype).requireGrad();
    const h0 = c.h0 ? toTensor(c.h0, c.dtype).requireGrad() : undefined;
    const c0 = c.c0 ? toTensor(c.c0, c.dtype).requireGrad() : undefined;
    const tape = new Tape();
    const state = h0 ? (c0 ? { h: h0, c: c0 } : { h: h0 }) : undefined;
    const r = model.forward(x, { tape, state });
    assertClose(r.output.data, c.output.data, rtol, atol, 'output');
    assertClose(r.state.h.data, c.hn.data, rtol, atol, 'h_n');
    if (c.cn) assertClose(r.state.c!.data, c.cn.data, rtol, atol, 'c_n');
    const terms = [weightedSum(r.output, toTensor(c.lossWeights.output, c.dtype), tape), weightedSum(r.state.h, toTensor(c.lossWeights.hn, c.dtype), tape)];
    if (c.lossWeights.cn) terms.push(weightedSum(r.state.c!, toTensor(c.lossWeights.cn, c.dtype), tape));
    const loss = addScalars(terms, tape);
    assertClose(loss.data, [c.loss], rtol, atol, 'loss');
    tape.backward(loss);
    const grads = model.gradients();
    for (const name of Object.keys(c.stateDict)) assertClose(grads[name].data, c.grads[name]!.data, rtol, atol, `∂L/∂${name}`);
    assertClose(x.grad!, c.grads.input!.data, rtol, atol, '∂L/∂input');
    if (h0) assertClose(h0.grad!, c.grads.h0!.data, rtol, atol, '∂L/∂h0');
    if (c0) assertClose(c0.grad!, c.grads.c0!.data, rtol, atol, '∂L/∂c0');
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
  const head = new Linear(H, C, { dtype: 'float64' }).loadStateDict({ weight: sd['head.weight'], bias: sd['head.bias'] });
  const x = toTensor(f.input).requireGrad();
  const tape = new Tape();
  const out = model.forward(x, { tape }).output;
  const logits = head.forward(out.reshape([T * B, H]), { tape });
  assertClose(logits.data, f.logits.data, rtol, atol, 'logits');
  const loss = crossEntropyLoss(logits, f.targets.data, { tape });
  assertClose(loss.data, [f.loss], rtol, atol, 'loss');
  tape.backward(loss);
  const grads = { ...model.gradients(), ...Object.fromEntries(Object.entries(head.namedParameters()).map(([, [n, p]]) => [`head.${n}`, p.gradTensor()!])) };
  for (const name of Object.keys(sd)) assertClose(grads[name].data, f.grads[name].data, rtol, atol, `∂L/∂${name}`);
  assertClose(x.grad!, f.grads.input.data, rtol, atol, '∂L/∂input');
});
