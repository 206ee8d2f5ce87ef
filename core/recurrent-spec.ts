/**
 * The shape of a recurrent model, as layout converters (state dicts) and charts need it.
 *
 * Parameter names follow PyTorch: for layer k and direction suffix s ('' forward,
 * '_reverse' backward):
 *   weight_ih_l{k}{s}  [G·H, I_k]   I_0 = inputSize, I_k = H·D for k > 0 (D = 2 if bidirectional)
 *   weight_hh_l{k}{s}  [G·H, H]
 *   bias_ih_l{k}{s}    [G·H]
 *   bias_hh_l{k}{s}    [G·H]
 * with G gate blocks stacked in `gateBlocks` order (LSTM i,f,g,o; GRU r,z,n; RNN h).
 * LSTM variants add (names of our own, PyTorch has no such cells):
 *   weight_peephole_l{k}{s}  [3·H]        diagonal peepholes for i, f, o (Gers & Schmidhuber 2000)
 *   weight_gate_l{k}{s}      [3·H, 3·H]   full gate recurrence (Greff et al. 2015, FGR):
 *                                          rows = gates i,f,o at t, columns = gates i,f,o at t-1
 */
/** The family of a recurrent model: 'rnn', 'lstm' or 'gru'. */
/** The family of a recurrent model: 'rnn', 'lstm' or 'gru'. */
export type RecurrentKind = 'rnn' | 'lstm' | 'gru';

/**
 * A recurrent model's shape (model.spec): what state-dict converters and charts need to name
 * and size its parameters, weight_ih_l{k} [G·H, I_k] and so on (G = gateBlocks.length).
 */
/**
 * A recurrent model's shape (model.spec): what state-dict converters and charts need to name
 * and size its parameters, weight_ih_l{k} [G·H, I_k] and so on (G = gateBlocks.length).
 */
export interface RecurrentSpec {
  /** 'rnn', 'lstm' or 'gru'. */
  readonly kind: RecurrentKind;
  /** I: features per step of layer 0's input. */
  readonly inputSize: number;
  /** H: units per direction. */
  readonly hiddenSize: number;
  /** L: stacked layers. */
  readonly numLayers: number;
  /** Whether there is a '_reverse' direction (D = 2). */
  readonly bidirectional: boolean;
  /** Whether bias_ih and bias_hh exist. */
  readonly bias: boolean;
  /** Gate blocks in the order they are stacked along the first axis of the weights. */
  readonly gateBlocks: readonly string[];
  /** GRU only: true for PyTorch/cuDNN "reset after" (default), false for Cho et al. 2014. */
  readonly resetAfter?: boolean;
}

export function directionSuffixes(bidirectional: boolean): string[] {
  return bidirectional ? ['', '_reverse'] : [''];
}
