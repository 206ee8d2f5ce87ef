/**
 * generate(): the same seed gives the same text; the state is carried from character to
 * character (the text equals a loop written out by hand, step by step, with the state passed
 * along); LSTM, GRU and RNN, stacked; a model that is its own head; errors that say what fits.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CharCorpus } from '../../../core/data/corpus';
import { generate } from '../../../core/data/generate';
import { sampleLogits } from '../../../core/data/sampling';
import { GRU } from '../../../core/gru';
import { Linear } from '../../../core/linear';
import { LSTM } from '../../../core/lstm';
import { Rng } from '../../../core/random';
import type { RecurrentModel, RecurrentState } from '../../../core/recurrent/model';
import { RNN } from '../../../core/rnn';
import type { Tensor } from '../../../core/tensor';

const corpus = new CharCorpus('the quick brown fox jumps over the lazy dog; the end.');
const V = corpus.vocabSize;

/** The loop generate() replaces, written out: feed, carry the state, draw, feed what was drawn. */
function byHand(
  model: RecurrentModel,
  head: Linear,
  prefix: string,
  length: number,
  temperature: number,
  seed: number,
) {
  const rng = new Rng(seed);
  let state: RecurrentState | undefined;
  let logits: Tensor | null = null;
  const feed = (ch: string) => {
    const step = model.forward(corpus.oneHot(corpus.encode(ch)).reshape([1, 1, V]), { state });
    state = step.state;
    logits = head.forward(step.output.reshape([1, step.output.shape[2]]));
  };
  for (const ch of prefix) feed(ch);
  let out = prefix;
  for (let k = 0; k < length; k++) {
    const next = corpus.decode([sampleLogits(logits!, { temperature, rng })]);
    out += next;
    feed(next);
  }
  return out;
}

for (const [name, build] of [
  ['LSTM', () => new LSTM({ inputSize: V, hiddenSize: 16, numLayers: 2, rng: new Rng(1) })],
  ['GRU', () => new GRU({ inputSize: V, hiddenSize: 16, rng: new Rng(2) })],
  ['RNN', () => new RNN({ inputSize: V, hiddenSize: 16, numLayers: 2, rng: new Rng(3) })],
] as const) {
  test(`${name}: the text equals the hand-written loop that carries the state, and the same seed repeats it`, () => {
    const model = build();
    const head = new Linear(16, V, { rng: new Rng(4) });
    const text = generate([model, head], corpus, { prefix: 'the ', length: 60, temperature: 0.8, seed: 3 });
    assert.equal(text.length, 64);
    assert.ok(text.startsWith('the '));
    assert.equal(text, byHand(model, head, 'the ', 60, 0.8, 3));
    assert.equal(generate([model, head], corpus, { prefix: 'the ', length: 60, temperature: 0.8, seed: 3 }), text);
    assert.notEqual(generate([model, head], corpus, { prefix: 'the ', length: 60, temperature: 0.8, seed: 4 }), text);
  });
}

test('temperature 0 is the argmax: no draw, the same text for every seed; a model can be its own head', () => {
  const model = new LSTM({ inputSize: V, hiddenSize: V, rng: new Rng(5) });
  const a = generate(model, corpus, { prefix: 'q', length: 20, temperature: 0, seed: 1 });
  assert.equal(generate(model, corpus, { prefix: 'q', length: 20, temperature: 0, seed: 99 }), a);
});

test('bad input says what fits', () => {
  const model = new LSTM({ inputSize: V, hiddenSize: 8 });
  const head = new Linear(8, V);
  assert.throws(
    () => generate([model, head], corpus, { prefix: '', length: 5 }),
    /prefix expected at least one character/,
  );
  assert.throws(
    () => generate([model, head], corpus, { prefix: 'the', length: -1 }),
    /generate: length: expected an integer ≥ 0, got -1/,
  );
  assert.throws(
    () => generate([model, new Linear(8, 3)], corpus, { prefix: 'the', length: 5 }),
    new RegExp(`the model gives 3 logits per step, the corpus has ${V} characters`),
  );
  assert.throws(
    () => generate([new LSTM({ inputSize: 4, hiddenSize: 8 }), head], corpus, { prefix: 'the', length: 5 }),
    new RegExp(`LSTM\\(4 → 8\\) reads 4 features, the corpus has ${V} characters`),
  );
  assert.throws(() => generate([model, head], corpus, { prefix: 'the', length: 5, temp: 1 } as never), /temp/);
});
