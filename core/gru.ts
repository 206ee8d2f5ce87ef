/**
 * GRU model (see recurrent/gru-cell.ts for the equations), in PyTorch's "reset after" form by
 * default or Cho et al. 2014's "reset before" form with { resetAfter: false }.
 */
import type { FloatArray } from './dtype';
import { LstmError, checkKeys, describe } from './errors';
import type { WeightInit } from './init';
import { gruBackward, gruForward } from './recurrent/gru-cell';
import { gruBackwardWasm, gruForwardWasm } from './recurrent/gru-cell-wasm';
import { RECURRENT_OPTION_KEYS, RecurrentModel, RecurrentOptions } from './recurrent/model';
import type { RecurrentSpec } from './recurrent-spec';
import type { BackwardOptions, ExtraStepBuffers, LayerGrads, LayerWeights, SequenceRun } from './recurrent/run';

/**
 * Options of `new GRU(…)`: the shared recurrent ones plus the reset form.
 * @example const model = new GRU({ inputSize: 1, hiddenSize: 32, resetAfter: false });
 */
export interface GruOptions extends RecurrentOptions {
  /** true (default): PyTorch / cuDNN; false: Cho et al. 2014, reset applied to h_{t−1} before W_hn. */
  resetAfter?: boolean;
}

/**
 * Gated recurrent unit, as PyTorch's nn.GRU (reset after W_hn, default) or Cho et al. 2014 (reset before):
 *   r_t = σ(W_ir x_t + b_ir + W_hr h_{t−1} + b_hr)   z_t likewise
 *   n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t−1} + b_hn))
 *   h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}
 * Input [T, B, I] (batchFirst: [B, T, I]); output [T, B, D·H]; state h [L·D, B, H] (no c).
 * @example const model = new GRU({ inputSize: 1, hiddenSize: 32 });
 * @throws {LstmError} for a missing or bad option, naming it.
 */
export class GRU extends RecurrentModel {
  /** Always 'gru'. */
  readonly kind = 'gru' as const;
  /** The gate blocks stacked in the weights, PyTorch's order: reset, update, candidate. */
  readonly gateBlocks = ['r', 'z', 'n'] as const;
  protected readonly hasCell = false;
  /** true: PyTorch / cuDNN form (r applied after W_hn); false: Cho et al. 2014 (r applied to h_{t−1} before W_hn). */
  readonly resetAfter: boolean;

  constructor(options: GruOptions) {
    super('GRU', options);
    checkKeys('GRU', options, [...RECURRENT_OPTION_KEYS, 'resetAfter']);
    if (options.resetAfter !== undefined && typeof options.resetAfter !== 'boolean')
      throw new LstmError(`GRU: resetAfter expected true or false, got ${describe(options.resetAfter)}`);
    this.resetAfter = options.resetAfter ?? true;
    this.build((options.init ?? 'pytorch') as WeightInit, { peephole: false, gate: false });
  }

  /** 'reset-after' (PyTorch's form) or 'cho'. */
  get variant(): string {
    return this.resetAfter ? 'reset-after' : 'cho';
  }

  /** The model's shape, with its reset form. */
  override get spec(): RecurrentSpec {
    return { ...super.spec, resetAfter: this.resetAfter };
  }

  protected get gateLabels(): Record<string, string> {
    return { r: 'reset gate', z: 'update gate', n: 'candidate' };
  }

  protected tracedGates(): string[] {
    return ['r', 'z', 'n'];
  }

  /** hn: the recurrent term inside n's tanh, both forms; rh: r ⊙ h_{t−1}, which only the Cho form multiplies by W_hn. */
  protected override extraStepBuffers(): ExtraStepBuffers {
    return { hn: true, rh: !this.resetAfter };
  }

  protected cellForward(run: SequenceRun, w: LayerWeights, h0: FloatArray): void {
    if (run.engine === 'wasm') gruForwardWasm(run, w, this.resetAfter, h0);
    else gruForward(run, w, this.resetAfter, h0);
  }

  protected cellBackward(run: SequenceRun, w: LayerWeights, g: LayerGrads, opt: BackwardOptions): void {
    if (run.engine === 'wasm') gruBackwardWasm(run, w, g, this.resetAfter, opt);
    else gruBackward(run, w, g, this.resetAfter, opt);
  }
}
