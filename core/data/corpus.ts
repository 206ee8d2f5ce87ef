/**
 * CharCorpus: a text as a sequence of character indices, for character-level language
 * models (Karpathy's char-rnn; Graves 2013).
 *
 *   vocab      the distinct characters (Unicode code points) of the text, sorted by code point
 *   encode(s)  s_k ↦ position of s_k in vocab                    → Int32Array
 *   dataset    windows of the text: input c_s … c_{s+T−1} one-hot ([N, T, V]),
 *              target c_{s+1} … c_{s+T} as class indices ('sequence', [N, T], V classes),
 *              starts s = 0, stride, 2·stride, … while s + T < text length
 *   baselines  meta.baselineCrossEntropy = −Σ_c p_c ln p_c, the unigram entropy of the text
 *              (predicting character frequencies with no context); meta.uniformCrossEntropy
 *              = ln V (a uniform guess, an untrained model)
 *
 * Memory: the one-hot inputs take N · T · V numbers; a stride of 1 over a 40 KB text with
 * T = 100 and V = 60 would be 240 M numbers, so the default stride is T (no overlap).
 */
import { pollInterrupt } from '../interrupt';
import { LstmError, checkInt, checkKeys, checkNumber, describe } from '../errors';
import { DType, allocate, checkDType, getDefaultDType } from '../dtype';
import { Tensor } from '../tensor';
import { SequenceDataset } from './dataset';

/** Options of CharCorpus.dataset(): window length, stride, name, dtype. */
export interface CorpusDatasetOptions {
  /** T ≥ 1 characters per input window. */
  seqLength: number;
  /** Characters between window starts (default T). */
  stride?: number;
  /** The dataset's name. Default `characters (T=…)`. */
  name?: string;
  /** The tensors' dtype. Default getDefaultDType(). */
  dtype?: DType;
}

/**
 * A text as a sequence of character indices, for character-level language models (char-rnn):
 * a sorted vocabulary of its distinct characters (code points), encode/decode, one-hot rows and
 * next-character datasets (inputs [N, T, V] one-hot, targets 'sequence' [N, T], V classes).
 * @example const corpus = new CharCorpus(SHAKESPEARE); const data = corpus.dataset({ seqLength: 100 });
 * @throws {LstmError} (constructor) for an empty text, an unknown option, or a vocab that is not distinct single characters.
 */
export class CharCorpus {
  /** The corpus text, as given. */
  readonly text: string;
  /** Sorted distinct characters; a character's index here is its class. */
  readonly vocab: readonly string[];
  /** The whole text encoded. */
  readonly indices: Int32Array;
  private readonly lookup: Map<string, number>;

  /**
   * @param text     the corpus
   * @param options  vocab: use this vocabulary instead of the text's own (every character of
   *                 the text must be in it), so that corpora can share class indices
   */
  constructor(text: string, options: { vocab?: readonly string[] } = {}) {
    if (typeof text !== 'string' || text.length === 0)
      throw new LstmError(`CharCorpus: expected a non-empty string, got ${describe(text)}`);
    checkKeys('CharCorpus', options, ['vocab']);
    let vocab: string[];
    if (options.vocab !== undefined) {
      if (!Array.isArray(options.vocab) || options.vocab.some((c) => typeof c !== 'string' || [...c].length !== 1)) {
        throw new LstmError(`CharCorpus: vocab expected an array of single characters, got ${describe(options.vocab)}`);
      }
      vocab = [...options.vocab];
      if (new Set(vocab).size !== vocab.length)
        throw new LstmError(`CharCorpus: vocab expected distinct characters, got ${describe(vocab)}`);
    } else {
      vocab = [...new Set(text)].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    }
    this.text = text;
    this.vocab = Object.freeze(vocab);
    this.lookup = new Map(vocab.map((c, i) => [c, i]));
    this.indices = this.encode(text);
  }

  /** V: vocabulary size. */
  get vocabSize(): number {
    return this.vocab.length;
  }

  /** Number of characters (code points) in the text. */
  get length(): number {
    return this.indices.length;
  }

  /**
   * Character indices; an unknown character is an error naming it and its position.
   * @example const ids = corpus.encode('First Citizen');
   * @throws {LstmError} for a character not in the vocabulary, or a non-string.
   */
  encode(s: string): Int32Array {
    if (typeof s !== 'string') throw new LstmError(`CharCorpus.encode: expected a string, got ${describe(s)}`);
    const chars = [...s];
    const out = new Int32Array(chars.length);
    for (let k = 0; k < chars.length; k++) {
      const i = this.lookup.get(chars[k]);
      if (i === undefined) {
        throw new LstmError(
          `CharCorpus.encode: character ${JSON.stringify(chars[k])} at position ${k} is not in the vocabulary; expected one of ${JSON.stringify(this.vocab.join(''))}`,
        );
      }
      out[k] = i;
    }
    return out;
  }

  /**
   * The text of character indices: decode(encode(s)) = s.
   * @example const sample = corpus.decode([0, 1, 2]);
   * @throws {LstmError} for an index that is not an integer in [0, V − 1].
   */
  decode(indices: ArrayLike<number>): string {
    if (indices === null || typeof indices !== 'object' || typeof indices.length !== 'number') {
      throw new LstmError(`CharCorpus.decode: expected an array of character indices, got ${describe(indices)}`);
    }
    let s = '';
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      if (!Number.isInteger(i) || i < 0 || i >= this.vocab.length) {
        throw new LstmError(
          `CharCorpus.decode: index ${describe(i)} at position ${k} is out of range; expected an integer in [0, ${this.vocab.length - 1}]`,
        );
      }
      s += this.vocab[i];
    }
    return s;
  }

  /**
   * One-hot rows [n, V] for n indices (dtype default getDefaultDType()): a prompt as [T, V], to reshape to [T, 1, V] for forward.
   * @throws {LstmError} for an index that is not an integer in [0, V − 1], or a bad dtype.
   */
  oneHot(indices: ArrayLike<number>, dtype: DType = getDefaultDType()): Tensor {
    checkDType(dtype);
    const V = this.vocab.length;
    this.decode(indices); // validates
    const data = allocate(dtype, indices.length * V);
    for (let k = 0; k < indices.length; k++) data[k * V + indices[k]] = 1;
    return new Tensor(data, [indices.length, V]);
  }

  /**
   * Next-character windows: input c_s … c_{s+T−1} one-hot ([N, T, V]), target c_{s+1} … c_{s+T}
   * as class indices ('sequence', [N, T], V classes), starts s = 0, stride, 2·stride, … while
   * s + T < length. meta.baselineCrossEntropy is the unigram entropy −Σ p_c ln p_c,
   * meta.uniformCrossEntropy = ln V. Memory: N · T · V numbers, hence the default stride T.
   * @example const data = corpus.dataset({ seqLength: 64, stride: 32 });
   * @throws {LstmError} for seqLength or stride not integers ≥ 1, a text shorter than seqLength + 1
   * or of one distinct character, an unknown option or a bad dtype.
   */
  dataset(options: CorpusDatasetOptions): SequenceDataset {
    if (options === null || typeof options !== 'object')
      throw new LstmError(`CharCorpus.dataset: expected options such as { seqLength: 100 }, got ${describe(options)}`);
    checkKeys('CharCorpus.dataset', options, ['seqLength', 'stride', 'name', 'dtype']);
    const T = checkInt('CharCorpus.dataset: seqLength', options.seqLength, 1);
    const stride = checkInt('CharCorpus.dataset: stride', options.stride ?? T, 1);
    const dtype = options.dtype === undefined ? getDefaultDType() : checkDType(options.dtype);
    const L = this.indices.length;
    if (L < T + 1)
      throw new LstmError(
        `CharCorpus.dataset: seqLength ${T} needs a text of at least ${T + 1} characters (inputs plus the next one), got ${L}`,
      );
    const V = this.vocab.length;
    if (V < 2)
      throw new LstmError(
        `CharCorpus.dataset: expected a text of at least 2 distinct characters (there is nothing to predict otherwise), got only ${JSON.stringify(this.vocab[0])}`,
      );
    const N = Math.floor((L - T - 1) / stride) + 1;
    const x = allocate(dtype, N * T * V, `CharCorpus.dataset: ${N} windows × seqLength ${T} × ${V} characters`);
    const y = allocate(dtype, N * T);
    const c = this.indices;
    const counts = new Float64Array(V);
    for (let k = 0; k < L; k++) counts[c[k]]++;
    let unigram = 0; // H = −Σ p ln p: the loss of predicting character frequencies, no context
    for (const m of counts) if (m > 0) unigram -= (m / L) * Math.log(m / L);
    for (let n = 0; n < N; n++) {
      if ((n & 1023) === 0) pollInterrupt();
      const s = n * stride;
      for (let t = 0; t < T; t++) {
        x[(n * T + t) * V + c[s + t]] = 1;
        y[n * T + t] = c[s + t + 1];
      }
    }
    return new SequenceDataset({
      name: options.name ?? `characters (T=${T})`,
      inputs: new Tensor(x, [N, T, V]),
      targets: new Tensor(y, [N, T]),
      target: 'sequence',
      classes: V,
      meta: {
        task: 'characters',
        vocab: [...this.vocab],
        seqLength: T,
        stride,
        baselineCrossEntropy: unigram,
        uniformCrossEntropy: Math.log(V),
        loss: 'crossEntropy',
      },
    });
  }

  /**
   * The first round(fraction · length) characters and the rest, as two corpora sharing this
   * vocabulary (so a model trained on one reads the other). Both parts must be non-empty.
   * @example const [trainText, testText] = corpus.split(0.9);
   * @throws {LstmError} for a fraction outside [0, 1] or one that leaves a part empty.
   */
  split(fraction: number): [CharCorpus, CharCorpus] {
    checkNumber('CharCorpus.split: fraction', fraction, 0, 1);
    const L = this.indices.length;
    const n = Math.round(fraction * L);
    if (n < 1 || n > L - 1)
      throw new LstmError(
        `CharCorpus.split: fraction ${fraction} of ${L} characters gives parts of ${n} and ${L - n}; expected a fraction leaving at least one character on each side`,
      );
    const chars = [...this.text];
    return [
      new CharCorpus(chars.slice(0, n).join(''), { vocab: this.vocab }),
      new CharCorpus(chars.slice(n).join(''), { vocab: this.vocab }),
    ];
  }
}
