/** Vanilla RNN model (see recurrent/rnn-cell.ts): h_t = tanh or ReLU of an affine map. */
import type { FloatArray } from './dtype';
import { LstmError, checkKeys, describe } from './errors';
import type { WeightInit } from './init';
import { rnnBackward, rnnForward } from './recurrent/rnn-cell';
import { rnnBackwardWasm, rnnForwardWasm } from './recurrent/rnn-cell-wasm';
import { RECURRENT_OPTION_KEYS, RecurrentModel, RecurrentOptions } from './recurrent/model';
import type { BackwardOptions, LayerGrads, LayerWeights, SequenceRun } from './recurrent/run';

export interface RnnOptions extends RecurrentOptions {
  nonlinearity?: 'tanh' | 'relu';
}

export class RNN extends RecurrentModel {
  readonly kind = 'rnn' as const;
  readonly gateBlocks = ['h'] as const;
  protected readonly hasCell = false;
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
