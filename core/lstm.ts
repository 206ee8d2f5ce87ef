/**
 * LSTM model (see recurrent/lstm-cell.ts for the equations, recurrent/lstm-variants.ts for
 * the Greff variants'). Variants:
 *   'standard'  PyTorch's nn.LSTM: forget gate, no peepholes.
 *   'peephole'  Gers & Schmidhuber 2000; Greff et al.'s "vanilla" LSTM.
 *   Greff et al. 2015 ablations, each applied to the peephole LSTM as in the paper:
 *   'NIG' no input gate · 'NFG' no forget gate · 'NOG' no output gate ·
 *   'NIAF' no input activation · 'NOAF' no output activation · 'NP' no peepholes (= standard) ·
 *   'CIFG' coupled input–forget gate (f = 1 − i) · 'FGR' full gate recurrence.
 * `peephole: true | false` overrides the peephole choice of any variant.
 */
import type { FloatArray } from './dtype';
import { LstmError, checkKeys, checkNumber, describe } from './errors';
import type { WeightInit } from './init';
import {
  lstmBackward,
  lstmForward,
  LstmFlags,
  PEEPHOLE_GATES,
  removedGates,
  standardOrPeephole,
} from './recurrent/lstm-cell';
import { lstmVariantBackward, lstmVariantForward } from './recurrent/lstm-variants';
import { lstmBackwardWasm, lstmForwardWasm } from './recurrent/lstm-cell-wasm';
import { RECURRENT_OPTION_KEYS, RecurrentModel, RecurrentOptions } from './recurrent/model';
import type { BackwardOptions, LayerGrads, LayerWeights, SequenceRun } from './recurrent/run';

/**
 * The LSTM variants, lower-case ('standard' default; the Greff et al. 2015 names are also accepted
 * upper-case). 'standard' is PyTorch's nn.LSTM; 'peephole' adds peepholes p ⊙ c (Gers &
 * Schmidhuber 2000); the rest are Greff's ablations of the peephole LSTM: 'nig' no input gate,
 * 'nfg' no forget gate, 'nog' no output gate, 'niaf' no input activation, 'noaf' no output
 * activation, 'np' no peepholes (= standard), 'cifg' coupled gates f = 1 − i, 'fgr' full gate recurrence.
 */
export const LSTM_VARIANTS = [
  'standard',
  'peephole',
  'nig',
  'nfg',
  'nog',
  'niaf',
  'noaf',
  'np',
  'cifg',
  'fgr',
] as const;
/** A name from LSTM_VARIANTS, in lower case or as Greff et al. 2015 write it ('CIFG', …). */
export type LstmVariant =
  (typeof LSTM_VARIANTS)[number] | 'NIG' | 'NFG' | 'NOG' | 'NIAF' | 'NOAF' | 'NP' | 'CIFG' | 'FGR';

/**
 * Options of `new LSTM(…)`: the shared recurrent ones (inputSize, hiddenSize, numLayers, …) plus the variant.
 * @example const model = new LSTM({ inputSize: 2, hiddenSize: 16, variant: 'cifg' });
 */
export interface LstmOptions extends RecurrentOptions {
  /** Which LSTM (see LSTM_VARIANTS). Default 'standard'. */
  variant?: LstmVariant;
  /**
   * Overrides the variant's peephole choice: true adds p ⊙ c to the i, f, o gates, false removes
   * them. Default: the variant's (none for 'standard' and 'np', peepholes for the others).
   */
  peephole?: boolean;
  /**
   * Initial forget-gate bias (Gers et al. 2000; Jozefowicz et al. 2015): b_ih[f] = forgetBias,
   * b_hh[f] = 0. Default 1; null keeps what `init` drew.
   */
  forgetBias?: number | null;
}

function flagsFor(variant: (typeof LSTM_VARIANTS)[number], peephole: boolean | undefined): LstmFlags {
  const flags: LstmFlags = {
    peephole: variant !== 'standard' && variant !== 'np',
    inputGate: variant !== 'nig',
    forgetGate: variant !== 'nfg',
    outputGate: variant !== 'nog',
    coupled: variant === 'cifg',
    inputActivation: variant !== 'niaf',
    outputActivation: variant !== 'noaf',
    fullGateRecurrence: variant === 'fgr',
  };
  if (peephole !== undefined) flags.peephole = peephole;
  return flags;
}

/**
 * Long short-term memory, as PyTorch's nn.LSTM (and its peephole and Greff et al. variants):
 *   i_t = σ(W_ii x_t + b_ii + W_hi h_{t−1} + b_hi)   f_t, o_t likewise
 *   g_t = tanh(W_ig x_t + b_ig + W_hg h_{t−1} + b_hg)
 *   c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t    h_t = o_t ⊙ tanh(c_t)
 * Input [T, B, I] (batchFirst: [B, T, I]); output [T, B, D·H]; state h, c [L·D, B, H].
 * The forget-gate bias starts at 1 (see forgetBias).
 * @example const model = new LSTM({ inputSize: 2, hiddenSize: 16 }); const { output } = model.forward(Tensor.zeros([10, 4, 2]));
 * @throws {LstmError} for a missing or bad option (sizes not integers ≥ 1, dropout outside
 * [0, 0.999], an unknown variant or key, …), naming it.
 */
export class LSTM extends RecurrentModel {
  /** Always 'lstm'. */
  readonly kind = 'lstm' as const;
  /** The gate blocks stacked in the weights, PyTorch's order: input, forget, candidate (cell), output. */
  readonly gateBlocks = ['i', 'f', 'g', 'o'] as const;
  protected readonly hasCell = true;
  /** What the variant switches on or off (peephole, inputGate, forgetGate, …), as the cell reads it. */
  readonly flags: Readonly<LstmFlags>;
  private readonly variantName: (typeof LSTM_VARIANTS)[number];

  constructor(options: LstmOptions) {
    super('LSTM', options);
    checkKeys('LSTM', options, [...RECURRENT_OPTION_KEYS, 'variant', 'peephole', 'forgetBias']);
    const v = typeof options.variant === 'string' ? options.variant.toLowerCase() : (options.variant ?? 'standard');
    if (!(LSTM_VARIANTS as readonly unknown[]).includes(v)) {
      throw new LstmError(
        `LSTM: variant expected one of ${LSTM_VARIANTS.map((x) => JSON.stringify(x)).join(', ')} (Greff names in either case), got ${describe(options.variant)}`,
      );
    }
    if (options.peephole !== undefined && typeof options.peephole !== 'boolean')
      throw new LstmError(`LSTM: peephole expected true or false, got ${describe(options.peephole)}`);
    this.variantName = v as (typeof LSTM_VARIANTS)[number];
    this.flags = Object.freeze(flagsFor(this.variantName, options.peephole));
    this.build((options.init ?? 'pytorch') as WeightInit, {
      peephole: this.flags.peephole,
      gate: this.flags.fullGateRecurrence,
    });
    this.zeroUnusedBlocks();
    const fb = options.forgetBias === undefined ? 1 : options.forgetBias;
    if (fb !== null) {
      checkNumber('LSTM: forgetBias', fb);
      if (!this.bias && options.forgetBias !== undefined)
        throw new LstmError('LSTM: forgetBias needs biases, but bias is false');
      if (this.bias && !removedGates(this.flags).includes('f')) this.setForgetBias(fb);
    }
  }

  /**
   * 'standard', 'peephole', or a Greff variant's name; a Greff variant built without its
   * peepholes (peephole: false) says so: 'cifg without peepholes'.
   */
  get variant(): string {
    if (this.flags.peephole && this.variantName === 'standard') return 'peephole';
    const greff = this.variantName !== 'standard' && this.variantName !== 'np' && this.variantName !== 'peephole';
    if (greff && !this.flags.peephole) return `${this.variantName} without peepholes`;
    return this.variantName;
  }

  protected get gateLabels(): Record<string, string> {
    return { i: 'input gate', f: 'forget gate', g: 'candidate', o: 'output gate' };
  }

  protected tracedGates(): string[] {
    const removed: readonly string[] = removedGates(this.flags);
    return this.gateBlocks.filter((gate) => !removed.includes(gate));
  }

  /** Rows of gates a variant removes carry no meaning: zero them (they also get zero gradient). */
  private zeroUnusedBlocks(): void {
    const H = this.hiddenSize;
    for (const gate of removedGates(this.flags)) {
      const block = this.gateBlocks.indexOf(gate); // among i, f, g, o: the rows of W_ih, W_hh, b
      const pb = PEEPHOLE_GATES.indexOf(gate); // among i, f, o: peepholes and gate recurrence
      for (const row of this.layers)
        for (const p of row) {
          const I = p.wih.shape[1];
          p.wih.data.fill(0, block * H * I, (block + 1) * H * I);
          p.whh.data.fill(0, block * H * H, (block + 1) * H * H);
          p.bih?.data.fill(0, block * H, (block + 1) * H);
          p.bhh?.data.fill(0, block * H, (block + 1) * H);
          p.peephole?.data.fill(0, pb * H, (pb + 1) * H);
          if (p.gate) {
            p.gate.data.fill(0, pb * H * 3 * H, (pb + 1) * H * 3 * H);
            for (let r = 0; r < 3 * H; r++) p.gate.data.fill(0, r * 3 * H + pb * H, r * 3 * H + (pb + 1) * H);
          }
        }
    }
  }

  private setForgetBias(value: number): void {
    const H = this.hiddenSize;
    for (const row of this.layers)
      for (const p of row) {
        p.bih!.data.fill(value, H, 2 * H);
        p.bhh!.data.fill(0, H, 2 * H);
      }
  }

  /** The fused WebAssembly kernel computes the standard cell and peepholes. */
  protected override wasmCovers(): boolean {
    return standardOrPeephole(this.flags);
  }

  protected cellForward(run: SequenceRun, w: LayerWeights, h0: FloatArray, c0: FloatArray | null): void {
    if (run.engine === 'wasm') lstmForwardWasm(run, w, this.flags, h0, c0!);
    else if (standardOrPeephole(this.flags)) lstmForward(run, w, this.flags, h0, c0!);
    else lstmVariantForward(run, w, this.flags, h0, c0!);
  }

  protected cellBackward(run: SequenceRun, w: LayerWeights, g: LayerGrads, opt: BackwardOptions): void {
    if (run.engine === 'wasm') lstmBackwardWasm(run, w, g, this.flags, opt);
    else if (standardOrPeephole(this.flags)) lstmBackward(run, w, g, this.flags, opt);
    else lstmVariantBackward(run, w, g, this.flags, opt);
  }
}
