/**
 * One case of test/fixtures/torch/recurrent.json (nn.RNN, nn.LSTM, nn.GRU by PyTorch) checked
 * against a model of ours: output, final state, the fixed weighted loss and every gradient, at
 * the tolerance of the dtype it runs in. Used by the JS engine's tests (in the fixture's dtype)
 * and the WebAssembly engine's (in float32).
 */
import type { DType } from '../../core/dtype';
import { GRU } from '../../core/gru';
import { LSTM } from '../../core/lstm';
import { addScalars, weightedSum } from '../../core/ops';
import type { RecurrentModel } from '../../core/recurrent/model';
import { RNN } from '../../core/rnn';
import { Tape } from '../../core/tape';
import { assertClose, EncodedTensor, toTensor, TOLERANCE } from './fixtures';

export interface RecurrentCase {
  name: string;
  module: 'LSTM' | 'GRU' | 'RNN';
  config: {
    inputSize: number;
    hiddenSize: number;
    numLayers: number;
    bidirectional: boolean;
    batchFirst: boolean;
    nonlinearity?: 'tanh' | 'relu';
    bias: boolean;
  };
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

/** The case's model in `dtype`, with PyTorch's weights loaded by name, strictly (its layout is ours). */
export function buildCase(c: RecurrentCase, dtype: DType): RecurrentModel {
  const { inputSize, hiddenSize, numLayers, bidirectional, batchFirst, bias } = c.config;
  const common = { inputSize, hiddenSize, numLayers, bidirectional, batchFirst, bias, dtype };
  const model =
    c.module === 'LSTM'
      ? new LSTM(common)
      : c.module === 'GRU'
        ? new GRU(common)
        : new RNN({ ...common, nonlinearity: c.config.nonlinearity ?? 'tanh' });
  return model.loadStateDict(c.stateDict, { layout: 'torch' });
}

/** Runs `model` on the case in `dtype` and asserts every quantity PyTorch wrote. */
export function checkCase(c: RecurrentCase, model: RecurrentModel, dtype: DType): void {
  const { rtol, atol } = TOLERANCE[dtype];
  const x = toTensor(c.input, dtype).requireGrad();
  const h0 = c.h0 ? toTensor(c.h0, dtype).requireGrad() : undefined;
  const c0 = c.c0 ? toTensor(c.c0, dtype).requireGrad() : undefined;
  const tape = new Tape();
  const state = h0 ? (c0 ? { h: h0, c: c0 } : { h: h0 }) : undefined;
  const r = model.forward(x, { tape, state });
  assertClose(r.output.data, c.output.data, rtol, atol, 'output');
  assertClose(r.state.h.data, c.hn.data, rtol, atol, 'h_n');
  if (c.cn) assertClose(r.state.c!.data, c.cn.data, rtol, atol, 'c_n');
  const terms = [
    weightedSum(r.output, toTensor(c.lossWeights.output, dtype), tape),
    weightedSum(r.state.h, toTensor(c.lossWeights.hn, dtype), tape),
  ];
  if (c.lossWeights.cn) terms.push(weightedSum(r.state.c!, toTensor(c.lossWeights.cn, dtype), tape));
  const loss = addScalars(terms, tape);
  assertClose(loss.data, [c.loss], rtol, atol, 'loss');
  tape.backward(loss);
  const grads = model.gradients();
  for (const name of Object.keys(c.stateDict))
    assertClose(grads[name].data, c.grads[name]!.data, rtol, atol, `∂L/∂${name}`);
  assertClose(x.grad!, c.grads.input!.data, rtol, atol, '∂L/∂input');
  if (h0) assertClose(h0.grad!, c.grads.h0!.data, rtol, atol, '∂L/∂h0');
  if (c0) assertClose(c0.grad!, c.grads.c0!.data, rtol, atol, '∂L/∂c0');
}
