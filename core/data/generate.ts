/**
 * Text from a character model in one call: feed the prefix one character at a time, carrying the
 * recurrent state, then repeat — draw the next character from softmax(z / τ) of the logits z
 * (sampleLogits), append it, feed it — `length` times.
 *
 *   (h, c)_t = model(onehot(x_t), (h, c)_{t−1});   z_t = head(h_t);   x_{t+1} ~ softmax(z_t / τ)
 *
 * Deterministic under `seed` (its own generator: the global one is not drawn from).
 */
import { LstmError, checkKeys, checkInt, checkNumber, describe } from '../errors';
import type { Linear } from '../linear';
import { Rng } from '../random';
import type { RecurrentState } from '../recurrent/model';
import type { Tensor } from '../tensor';
import { unpackTrainable, type Trainable } from '../train';
import type { CharCorpus } from './corpus';
import { sampleLogits } from './sampling';

/** Options of generate(). */
export interface GenerateOptions {
  /** The text to start from, fed before anything is drawn (at least one character of the corpus). */
  prefix: string;
  /** How many characters to draw after the prefix. */
  length: number;
  /** τ ≥ 0 (default 1): below 1 safer, above 1 riskier, 0 the argmax. */
  temperature?: number;
  /** Keep only the k most likely characters at each draw. Default all. */
  topK?: number;
  /** The draws' generator seed (default 0). */
  seed?: number;
}

/**
 * The prefix followed by `length` characters drawn from a character model (`[model, head]`, or a
 * model whose output is the logits), reading and writing the corpus's vocabulary.
 * @example generate([model, head], corpus, { prefix: 'ROMEO:', length: 300, temperature: 0.8, seed: 3 })
 * @throws {LstmError} for an empty prefix or one with characters outside the vocabulary, a model
 * and head that do not fit the vocabulary, or a bad option.
 */
export function generate(modules: Trainable, corpus: CharCorpus, options: GenerateOptions): string {
  const what = 'generate';
  const [model, head] = unpackTrainable(what, modules);
  if (options === null || typeof options !== 'object')
    throw new LstmError(
      `${what}: expected options such as { prefix: 'ROMEO:', length: 300 }, got ${describe(options)}`,
    );
  checkKeys(what, options, ['prefix', 'length', 'temperature', 'topK', 'seed']);
  const V = corpus.vocabSize;
  if (typeof options.prefix !== 'string' || options.prefix.length === 0)
    throw new LstmError(
      `${what}: prefix expected at least one character to start from, got ${describe(options.prefix)}`,
    );
  const length = checkInt(`${what}: length`, options.length, 0);
  const temperature = checkNumber(`${what}: temperature`, options.temperature ?? 1, 0);
  const rng = new Rng(checkInt(`${what}: seed`, options.seed ?? 0, 0));
  if (model.inputSize !== V)
    throw new LstmError(
      `${what}: ${model.toString()} reads ${model.inputSize} features, the corpus has ${V} characters`,
    );
  const outputs = head ? head.outFeatures : model.hiddenSize * (model.bidirectional ? 2 : 1);
  if (outputs !== V)
    throw new LstmError(`${what}: the model gives ${outputs} logits per step, the corpus has ${V} characters`);

  let state: RecurrentState | undefined;
  let logits: Tensor | null = null;
  const feed = (ch: string) => {
    const step = model.forward(corpus.oneHot(corpus.encode(ch)).reshape([1, 1, V]), { state });
    state = step.state;
    logits = logitsOf(step.output, head);
  };
  for (const ch of options.prefix) feed(ch);
  let out = options.prefix;
  for (let k = 0; k < length; k++) {
    const next = corpus.decode([sampleLogits(logits!, { temperature, topK: options.topK, rng })]);
    out += next;
    feed(next);
  }
  return out;
}

/** The logits of one step's output [1, 1, F]: through the head, or the output itself. */
function logitsOf(output: Tensor, head: Linear | null): Tensor {
  const row = output.reshape([1, output.shape[2]]);
  return head ? head.forward(row) : row;
}
