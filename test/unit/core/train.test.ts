/**
 * The training loop: against torch.optim on a real LSTM, on the adding problem (the LSTM
 * learns it, a vanilla RNN of the same size does not), and its control flow and errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SequenceDataset } from '../../../core/data/dataset';
import { adding, temporalOrder } from '../../../core/data/tasks';
import { Linear } from '../../../core/linear';
import { LSTM } from '../../../core/lstm';
import { parametersOf } from '../../../core/module';
import { Adam } from '../../../core/optim/adam';
import { SGD } from '../../../core/optim/sgd';
import { Rng, seed } from '../../../core/random';
import { RNN } from '../../../core/rnn';
import { Tensor } from '../../../core/tensor';
import { evaluate, train, trainStep } from '../../../core/train';
import { assertClose, EncodedTensor, loadFixture, toTensor, TOLERANCE } from '../../helpers/fixtures';

test('three Adam and three SGD (momentum) steps of LSTM + Linear match torch.optim', () => {
  const f = loadFixture('lstm_train_steps.json');
  const { rtol, atol } = TOLERANCE.float64;
  const initial = f.initialStateDict as Record<string, EncodedTensor>;
  const split = (sd: Record<string, EncodedTensor>): [Record<string, EncodedTensor>, Record<string, EncodedTensor>] => [
    Object.fromEntries(Object.entries(sd).filter(([k]) => !k.startsWith('head.'))),
    Object.fromEntries(
      Object.entries(sd)
        .filter(([k]) => k.startsWith('head.'))
        .map(([k, v]) => [k.slice(5), v]),
    ),
  ];
  const [, , I] = f.input.shape as number[];
  const H = initial.weight_hh_l0.shape[1];
  for (const run of f.runs) {
    const [lstmDict, headDict] = split(initial);
    const model = new LSTM({ inputSize: I, hiddenSize: H, dtype: 'float64' }).loadStateDict(lstmDict);
    const head = new Linear(H, 1, { dtype: 'float64' }).loadStateDict(headDict);
    const optimizer =
      run.optimizer === 'adam'
        ? new Adam({ lr: run.options.lr })
        : new SGD({ lr: run.options.lr, momentum: run.options.momentum });
    const params = parametersOf([model, head]);
    run.losses.forEach((expected: number, k: number) => {
      const { loss } = trainStep({
        model,
        head,
        params,
        optimizer,
        inputs: toTensor(f.input),
        targets: toTensor(f.targets),
        loss: 'mse',
        target: 'last',
      });
      assertClose([loss], [expected], rtol, atol, `${run.optimizer} loss at step ${k + 1}`);
    });
    const [finalLstm, finalHead] = split(run.finalStateDict);
    for (const [name, p] of model.namedParameters())
      assertClose(p.data, finalLstm[name].data, rtol, atol, `${run.optimizer} ${name}`);
    for (const [name, p] of head.namedParameters())
      assertClose(p.data, finalHead[name].data, rtol, atol, `${run.optimizer} head.${name}`);
  }
});

test('the adding problem (T = 50): the LSTM learns it, a vanilla RNN of the same size does not', async (t) => {
  // Sizes picked to run in ~20 s on 2 cores: 900 Adam steps of batch 32 (the LSTM reaches
  // test MSE ≈ 0.001 there; the RNN stays at the 0.167 of always predicting the mean).
  const rng = new Rng(1);
  const trainSet = adding({ length: 50, count: 10000, rng });
  const testSet = adding({ length: 50, count: 500, rng });
  const results: Record<string, number> = {};
  for (const kind of ['lstm', 'rnn'] as const) {
    const r = new Rng(2);
    const model =
      kind === 'lstm'
        ? new LSTM({ inputSize: 2, hiddenSize: 16, rng: r })
        : new RNN({ inputSize: 2, hiddenSize: 16, rng: r });
    const head = new Linear(16, 1, { rng: r });
    await train([model, head], trainSet, {
      epochs: 10,
      batchSize: 32,
      optimizer: new Adam(1e-2),
      clip: 1,
      maxSteps: 900,
      rng: r,
    });
    results[kind] = evaluate([model, head], testSet).loss;
  }
  const baseline = 1 / 6;
  t.diagnostic(
    `adding T=50 test MSE: LSTM ${results.lstm.toFixed(5)}, RNN ${results.rnn.toFixed(5)}, mean predictor ${baseline.toFixed(5)}`,
  );
  assert.ok(results.lstm < 0.02, `LSTM test MSE ${results.lstm} is not well under the baseline ${baseline}`);
  assert.ok(
    results.rnn > 5 * results.lstm,
    `RNN test MSE ${results.rnn} is not measurably worse than the LSTM's ${results.lstm}`,
  );
});

test('training is deterministic: same seed, identical losses and weights', async () => {
  const run = async (): Promise<{ losses: number[]; w: number[] }> => {
    seed(5);
    const data = adding({ length: 10, count: 64 });
    const model = new LSTM({ inputSize: 2, hiddenSize: 4, numLayers: 2, dropout: 0.2 });
    const head = new Linear(4, 1);
    const h = await train([model, head], data, { epochs: 2, batchSize: 16 });
    return { losses: h.steps.map((s) => s.loss), w: Array.from(model.namedParameters()[0][1].data) };
  };
  const a = await run();
  const b = await run();
  assert.deepEqual(a.losses, b.losses);
  assert.deepEqual(a.w, b.w);
  assert.equal(a.losses.length, 8);
});

test('callbacks report every step and epoch; returning false, the signal or maxSteps stop early', async () => {
  const data = adding({ length: 8, count: 40, seed: 1 });
  const make = (): [LSTM, Linear] => [
    new LSTM({ inputSize: 2, hiddenSize: 3, rng: new Rng(1) }),
    new Linear(3, 1, { rng: new Rng(2) }),
  ];
  const seen: number[] = [];
  const h = await train(make(), data, {
    epochs: 3,
    batchSize: 10,
    onStep: (s) => {
      seen.push(s.step);
    },
    validation: adding({ length: 8, count: 20, seed: 2 }),
  });
  assert.deepEqual(
    seen,
    Array.from({ length: 12 }, (_, i) => i + 1),
  );
  assert.equal(h.stopped, 'completed');
  assert.equal(h.epochs.length, 3);
  assert.ok(h.epochs.every((e) => typeof e.validationLoss === 'number' && Number.isFinite(e.validationLoss)));
  const stopped = await train(make(), data, { epochs: 3, batchSize: 10, onStep: (s) => s.step < 5 });
  assert.equal(stopped.steps.length, 5);
  assert.equal(stopped.stopped, 'requested');
  const signal = { aborted: false };
  const bySignal = await train(make(), data, {
    epochs: 3,
    batchSize: 10,
    signal,
    onStep: async (s) => {
      if (s.step === 2) signal.aborted = true;
    },
  });
  assert.equal(bySignal.steps.length, 2);
  const capped = await train(make(), data, { epochs: 3, batchSize: 10, maxSteps: 7 });
  assert.equal(capped.steps.length, 7);
  assert.equal(capped.stopped, 'maxSteps');
});

test('a schedule sets the learning rate of each step', async () => {
  const data = adding({ length: 8, count: 40, seed: 1 });
  const model = new LSTM({ inputSize: 2, hiddenSize: 3, rng: new Rng(1) });
  const head = new Linear(3, 1, { rng: new Rng(2) });
  const h = await train([model, head], data, {
    epochs: 1,
    batchSize: 10,
    optimizer: new SGD(0.5),
    schedule: (step, base) => base / (step + 1),
    clip: 0.1,
  });
  assert.deepEqual(
    h.steps.map((s) => s.lr),
    [0.5, 0.25, 0.5 / 3, 0.125],
  );
});

test('after a scheduled train() the optimizer has its base rate again: a second train() starts from the same base', async () => {
  const data = adding({ length: 8, count: 20, seed: 1 });
  const model = new LSTM({ inputSize: 2, hiddenSize: 3, rng: new Rng(1) });
  const head = new Linear(3, 1, { rng: new Rng(2) });
  const optimizer = new SGD(0.5);
  const options = { epochs: 1, batchSize: 10, optimizer, schedule: (step: number, base: number) => base / (step + 1) };
  const first = await train([model, head], data, options);
  assert.equal(optimizer.lr, 0.5);
  const second = await train([model, head], data, options);
  assert.deepEqual(
    second.steps.map((s) => s.lr),
    first.steps.map((s) => s.lr),
  );
  assert.deepEqual(
    second.steps.map((s) => s.lr),
    [0.5, 0.25],
  );
});

test('classification targets: cross-entropy by default, accuracy reported', async () => {
  const data = temporalOrder({ length: 20, count: 64, seed: 3 });
  const model = new LSTM({ inputSize: data.inputSize, hiddenSize: 8, rng: new Rng(3) });
  const head = new Linear(8, 4, { rng: new Rng(4) });
  const h = await train([model, head], data, { epochs: 1, batchSize: 16 });
  assert.equal(h.loss, 'crossEntropy');
  const e = evaluate([model, head], data);
  assert.ok(e.accuracy !== undefined && e.accuracy >= 0 && e.accuracy <= 1);
});

test('a diverging loss stops training with an error naming the step, before the weights are poisoned', async () => {
  // A float32 target of 1e30 squares past float32's range: the loss is Infinity on the first step.
  const x = Tensor.zeros([4, 3, 1]);
  for (let n = 0; n < x.size; n++) x.data[n] = (n % 5) / 5;
  const data = new SequenceDataset({
    name: 'huge',
    inputs: x,
    targets: Tensor.from([[1], [1], [1e30], [1]], undefined, 'float32'),
    target: 'last',
  });
  const model = new LSTM({ inputSize: 1, hiddenSize: 3, rng: new Rng(1) });
  const head = new Linear(3, 1, { rng: new Rng(2) });
  const before = Array.from(model.namedParameters()[0][1].data);
  await assert.rejects(
    train([model, head], data, { epochs: 2, batchSize: 4, shuffle: false, optimizer: new SGD(0.1) }),
    /the loss became Infinity at step 1 \(epoch 1, batch 1\); expected a finite loss — lower the learning rate \(now 0\.1\)/,
  );
  assert.deepEqual(Array.from(model.namedParameters()[0][1].data), before);
});

test('bad training input gets an error naming what was expected and what was given', async () => {
  const data = adding({ length: 8, count: 10, seed: 1 });
  const model = new LSTM({ inputSize: 2, hiddenSize: 3 });
  await assert.rejects(train([model, new Linear(4, 1)], data), /the head expects 4 features, the model gives 3/);
  await assert.rejects(
    train([model, new Linear(3, 2)], data),
    /the head gives 2 outputs per step, the dataset "adding \(T=8\)" needs 1/,
  );
  await assert.rejects(
    train([new LSTM({ inputSize: 3, hiddenSize: 3 }), new Linear(3, 1)], data),
    /the model expects inputs of size 3, the dataset "adding \(T=8\)" has 2/,
  );
  await assert.rejects(train([model, new Linear(3, 1)], data, { epochz: 3 } as never), /unknown option "epochz"/);
  await assert.rejects(
    train([model, new Linear(3, 1)], data, { loss: 'crossEntropy' }),
    /needs class targets, but the dataset "adding \(T=8\)" has real-valued targets/,
  );
  await assert.rejects(train([model, new Linear(3, 1)], data, { epochs: 0 }), /epochs: expected an integer ≥ 1, got 0/);
  await assert.rejects(train([model] as never, data), /expected a recurrent model or \[model, head\]/);
  await assert.rejects(train([model, new Linear(3, 1)], { inputs: [] } as never), /expected a dataset/);
});

test('evaluate names itself in its errors, not train', () => {
  const data = adding({ length: 8, count: 10, seed: 1 });
  const model = new LSTM({ inputSize: 2, hiddenSize: 3 });
  assert.throws(
    () => evaluate([model] as never, data),
    /^LstmError: evaluate: expected a recurrent model or \[model, head\]/,
  );
  assert.throws(
    () => evaluate([model, new Linear(3, 1)], data, { loss: 'crossEntropy' }),
    /^LstmError: evaluate: loss "crossEntropy" needs class targets/,
  );
});

test('a stateful model is refused by train and evaluate, which run independent batches', async () => {
  // 10 samples in batches of 4: the last batch has 2, which a carried state of batch 4 cannot meet.
  const data = adding({ length: 8, count: 10, seed: 1 });
  const model = new LSTM({ inputSize: 2, hiddenSize: 3, stateful: true });
  const head = new Linear(3, 1);
  await assert.rejects(
    train([model, head], data, { batchSize: 4, epochs: 1 }),
    /train: expected a model built with stateful: false \(train runs independent batches\), got a stateful one/,
  );
  assert.throws(() => evaluate([model, head], data), /evaluate: expected a model built with stateful: false/);
});
