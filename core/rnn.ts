/** Vanilla RNN model (see recurrent/rnn-cell.ts): h_t = tanh or ReLU of an affine map. */
import type { FloatArray } from './dtype';
import { LstmError, checkKeys, describe } from './errors';
import type { WeightInit } from './init';
import { rnnBackward, rnnForward } from './recurrent/rnn-cell';
import { rnnBackwardWasm, rnnForwardWasm } from './recurrent/rnn-cell-wasm';
import { RECURRENT_OPTION_KEYS, RecurrentModel, RecurrentOptions } from './recurrent/model';
import type { BackwardOptions, LayerGrads, LayerWeights, SequenceRun } from './recurrent/run';

/** Options of `new RNN(…)`: the shared recurrent ones plus the nonlinearity. */
export interface RnnOptions extends RecurrentOptions {
  /** The activation of h_t. Default 'tanh'. */
  nonlinearity?: 'tanh' | 'relu';
}

/**
 * Elman RNN, as PyTorch's nn.RNN: h_t = tanh(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh) (or ReLU).
 * Input [T, B, I] (batchFirst: [B, T, I]); output [T, B, D·H]; state h [L·D, B, H].
 * @example const model = new RNN({ inputSize: 1, hiddenSize: 8, nonlinearity: 'relu' });
 * @throws {LstmError} for a missing or bad option, naming it.
 */
export class RNN extends RecurrentModel {
  /** Always 'rnn'. */
  readonly kind = 'rnn' as const;
  /** One block: the hidden unit itself. */
  readonly gateBlocks = ['h'] as const;
  protected readonly hasCell = false;
  /** The activation of h_t. */
  readonly nonlinearity: 'tanh' | 'relu';

  constructor(options: RnnOptions) {
    super('RNN', options);
    checkKeys('RNN', options, [...RECURRENT_OPTION_KEYS, 'nonlinearity']);
    const nl = options.nonlinearity ?? 'tanh';
    if (nl !== 'tanh' && nl !== 'relu')
      throw new LstmError(`RNN: nonlinearity expected "tanh" or "relu", got ${describe(nl)}`);
    this.nonlinearity = nl;
    this.build((options.init ?? 'pytorch') as WeightInit, { peephole: false, gate: false });
  }

  /** 'tanh' or 'relu'. */
  get variant(): string {
    return this.nonlinearity;
  }

  protected get gateLabels(): Record<string, string> {
    return { h: this.nonlinearity === 'tanh' ? 'tanh unit' : 'ReLU unit' };
  }

  protected tracedGates(): string[] {
    return ['h'];
  }

  protected cellForward(run: SequenceRun, w: LayerWeights, h0: FloatArray): void {
    if (run.engine === 'wasm') rnnForwardWasm(run, w, this.nonlinearity === 'relu', h0);
    else rnnForward(run, w, this.nonlinearity === 'relu', h0);
  }

  protected cellBackward(run: SequenceRun, w: LayerWeights, g: LayerGrads, opt: BackwardOptions): void {
    if (run.engine === 'wasm') rnnBackwardWasm(run, w, g, this.nonlinearity === 'relu', opt);
    else rnnBackward(run, w, g, this.nonlinearity === 'relu', opt);
  }
}
