/**
 * Finite-difference checks of every recurrent variant's backward, including the ones PyTorch
 * has no module for (peepholes, CIFG, Cho's GRU, each Greff ablation) and truncated BPTT.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradCheck } from '../../../core/gradcheck';
import { GRU } from '../../../core/gru';
import { LSTM, LstmOptions } from '../../../core/lstm';
import { addScalars, weightedSum } from '../../../core/ops';
import { Rng } from '../../../core/random';
import type { RecurrentModel } from '../../../core/recurrent/model';
import { RNN } from '../../../core/rnn';
import { Tape } from '../../../core/tape';
import { Tensor } from '../../../core/tensor';
import { randn } from '../../helpers/tensors';

const T = 5;
const B = 2;
const I = 3;
const H = 3;

/** L = Σ out⊙Wo + Σ h_T⊙Wh (+ Σ c_T⊙Wc): every output and final state reaches the loss. */
function checkModel(model: RecurrentModel, opts: { truncate?: number } = {}): void {
  const D = model.directions;
  const L = model.numLayers;
  const x = randn([T, B, I], 1).requireGrad();
  const h0 = randn([L * D, B, H], 2, 0.5).requireGrad();
  const hasCell = model.kind === 'lstm';
  const c0 = hasCell ? randn([L * D, B, H], 3, 0.5).requireGrad() : undefined;
  const wo = randn([T, B, D * H], 4);
  const wh = randn([L * D, B, H], 5);
  const wc = randn([L * D, B, H], 6);
  const loss = (tape?: Tape): Tensor => {
    const r = model.forward(x, { state: c0 ? { h: h0, c: c0 } : { h: h0 }, tape, truncate: opts.truncate });
    const terms = [weightedSum(r.output, wo, tape), weightedSum(r.state.h, wh, tape)];
    if (r.state.c) terms.push(weightedSum(r.state.c, wc, tape));
    return addScalars(terms, tape);
  };
  const inputs: Array<[string, Tensor]> = [...model.namedParameters(), ['input', x], ['h0', h0]];
  if (c0) inputs.push(['c0', c0]);
  const report = gradCheck(loss, inputs, { eps: 1e-6, tolerance: 1e-6 });
  assert.ok(report.ok, `gradient check failed for ${model}: worst ${JSON.stringify(report.worst)}`);
  assert.ok(report.checked > 50, `checked only ${report.checked} entries`);
}

function lstm(extra: Partial<LstmOptions>): LSTM {
  return new LSTM({ inputSize: I, hiddenSize: H, dtype: 'float64', rng: new Rng(11), forgetBias: null, ...extra });
}

test('RNN tanh and ReLU gradients match finite differences', () => {
  checkModel(new RNN({ inputSize: I, hiddenSize: H, dtype: 'float64', rng: new Rng(1) }));
  checkModel(new RNN({ inputSize: I, hiddenSize: H, dtype: 'float64', rng: new Rng(2), nonlinearity: 'relu' }));
});

test('LSTM standard, 2 layers, bidirectional: gradients match finite differences', () => {
  checkModel(lstm({}));
  checkModel(lstm({ numLayers: 2, bidirectional: true }));
});

for (const variant of ['peephole', 'NIG', 'NFG', 'NOG', 'NIAF', 'NOAF', 'NP', 'CIFG', 'FGR'] as const) {
  test(`LSTM variant ${variant}: gradients match finite differences`, () => {
    // Peephole and gate-recurrence weights start U(±1/√H) (removed blocks at zero), so their terms are exercised.
    const model = lstm({ variant });
    checkModel(model);
  });
}

test('FGR with bidirectional 2 layers and peephole CIFG: gradients match finite differences', () => {
  checkModel(lstm({ variant: 'FGR', numLayers: 2, bidirectional: true }));
  checkModel(lstm({ variant: 'CIFG', bidirectional: true }));
});

test('GRU in both forms, stacked and bidirectional: gradients match finite differences', () => {
  checkModel(new GRU({ inputSize: I, hiddenSize: H, dtype: 'float64', rng: new Rng(3) }));
  checkModel(new GRU({ inputSize: I, hiddenSize: H, dtype: 'float64', rng: new Rng(4), resetAfter: false }));
  checkModel(
    new GRU({
      inputSize: I,
      hiddenSize: H,
      dtype: 'float64',
      rng: new Rng(5),
      resetAfter: false,
      numLayers: 2,
      bidirectional: true,
    }),
  );
});

test('batchFirst input: gradients match finite differences', () => {
  const model = new LSTM({
    inputSize: I,
    hiddenSize: H,
    dtype: 'float64',
    rng: new Rng(6),
    batchFirst: true,
    numLayers: 2,
  });
  const x = randn([B, T, I], 7).requireGrad();
  const wo = randn([B, T, H], 8);
  const report = gradCheck(
    (tape) => weightedSum(model.forward(x, { tape }).output, wo, tape),
    [...model.namedParameters(), ['input', x]],
  );
  assert.ok(report.ok, JSON.stringify(report.worst));
});

/**
 * Truncated BPTT with k steps equals full BPTT on each chunk of k steps run separately, with
 * the state entering a chunk held constant. The reference is computed by finite differences of
 * exactly that chunked loss, so it shares no code path with the truncation in the backward loop.
 */
for (const kind of ['lstm', 'gru', 'rnn'] as const) {
  test(`truncated BPTT (k = 2) of ${kind} matches finite differences of the chunked loss`, () => {
    const make = (): RecurrentModel =>
      kind === 'lstm'
        ? lstm({ variant: 'peephole' })
        : kind === 'gru'
          ? new GRU({ inputSize: I, hiddenSize: H, dtype: 'float64', rng: new Rng(9) })
          : new RNN({ inputSize: I, hiddenSize: H, dtype: 'float64', rng: new Rng(9) });
    const model = make();
    const k = 2;
    const x = randn([T, B, I], 10);
    const wo = randn([T, B, H], 11);
    // Analytic: one forward over all T with truncate = k.
    const tape = new Tape();
    for (const [, p] of model.namedParameters()) p.zeroGrad();
    tape.backward(weightedSum(model.forward(x, { tape, truncate: k }).output, wo, tape));
    const analytic = model.namedParameters().map(([n, p]) => [n, Float64Array.from(p.grad!)] as const);
    // Chunk states from the unperturbed model, then frozen.
    const chunkStates: Array<{ h: Tensor; c?: Tensor }> = [];
    let state = model.zeroState(B);
    for (let t0 = 0; t0 < T; t0 += k) {
      chunkStates.push(state);
      const len = Math.min(k, T - t0);
      const xs = new Tensor(x.data.slice(t0 * B * I, (t0 + len) * B * I), [len, B, I]);
      state = model.forward(xs, { state }).state;
    }
    const chunkedLoss = (): number => {
      let total = 0;
      for (let c = 0, t0 = 0; t0 < T; t0 += k, c++) {
        const len = Math.min(k, T - t0);
        const xs = new Tensor(x.data.slice(t0 * B * I, (t0 + len) * B * I), [len, B, I]);
        const out = model.forward(xs, { state: chunkStates[c] }).output;
        for (let n = 0; n < out.size; n++) total += out.data[n] * wo.data[t0 * B * H + n];
      }
      return total;
    };
    const eps = 1e-6;
    let worst = 0;
    for (const [name, grad] of analytic) {
      const p = model.namedParameters().find(([n]) => n === name)![1];
      for (let n = 0; n < p.size; n++) {
        const v = p.data[n];
        p.data[n] = v + eps;
        const up = chunkedLoss();
        p.data[n] = v - eps;
        const down = chunkedLoss();
        p.data[n] = v;
        const numeric = (up - down) / (2 * eps);
        const err = Math.abs(numeric - grad[n]) / Math.max(Math.abs(numeric) + Math.abs(grad[n]), 1e-7);
        worst = Math.max(worst, err);
      }
    }
    assert.ok(worst < 1e-6, `worst relative error ${worst}`);
    // And it really differs from full BPTT (else the test would prove nothing).
    const fullTape = new Tape();
    for (const [, p] of model.namedParameters()) p.zeroGrad();
    fullTape.backward(weightedSum(model.forward(x, { tape: fullTape }).output, wo, fullTape));
    const whh = model.namedParameters().find(([n]) => n === 'weight_hh_l0')![1];
    const truncWhh = analytic.find(([n]) => n === 'weight_hh_l0')![1];
    assert.ok(Math.max(...whh.grad!.map((g, n) => Math.abs(g - truncWhh[n]))) > 1e-4, 'truncation changed nothing');
  });
}

test('one-hot (sparse) inputs take the sparse path and still match finite differences', () => {
  const V = 7;
  const model = new LSTM({ inputSize: V, hiddenSize: H, dtype: 'float64', rng: new Rng(12), numLayers: 2 });
  const x = Tensor.zeros([T, B, V], 'float64').requireGrad();
  for (let n = 0; n < T * B; n++) x.data[n * V + ((n * 3) % V)] = 1;
  const wo = randn([T, B, H], 13);
  const report = gradCheck(
    (tape) => weightedSum(model.forward(x, { tape }).output, wo, tape),
    [...model.namedParameters(), ['input', x]],
  );
  assert.ok(report.ok, JSON.stringify(report.worst));
});
