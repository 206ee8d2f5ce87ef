/**
 * Command-line demo that `npm start` runs until the notebook kernel and the embedded VS Code
 * land: an LSTM and a vanilla RNN of the same size learn the adding problem (Hochreiter &
 * Schmidhuber 1997, T = 50) and their test errors are printed beside the 0.167 of always
 * predicting the mean (the target is a sum of two U(0,1) values: variance 2/12 ≈ 0.167).
 */
import { Adam, evaluate, Linear, LSTM, RNN, Rng, train, tasks } from '../core/index';

async function main(): Promise<void> {
  const rng = new Rng(7);
  const trainSet = tasks.adding({ length: 50, count: 10000, rng });
  const testSet = tasks.adding({ length: 50, count: 500, rng });
  console.log('adding problem, T = 50: 900 Adam steps of batch 32, hidden size 16, clip 1');
  for (const kind of ['LSTM', 'RNN'] as const) {
    const r = new Rng(11);
    const model =
      kind === 'LSTM'
        ? new LSTM({ inputSize: 2, hiddenSize: 16, rng: r })
        : new RNN({ inputSize: 2, hiddenSize: 16, rng: r });
    const head = new Linear(16, 1, { rng: r });
    const started = Date.now();
    await train([model, head], trainSet, {
      epochs: 10,
      batchSize: 32,
      optimizer: new Adam(1e-2),
      clip: 1,
      maxSteps: 900,
      rng: r,
      onStep: (s) => {
        if (s.step % 100 === 0) console.log(`  ${kind} step ${String(s.step).padStart(4)}  loss ${s.loss.toFixed(5)}`);
      },
    });
    const mse = evaluate([model, head], testSet).loss;
    console.log(
      `${kind}: test MSE ${mse.toFixed(5)} (mean predictor 0.167) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
