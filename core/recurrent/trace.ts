/**
 * What a forward pass shows when asked for a trace: per layer, direction and time step,
 * every gate's pre-activation and activation, the candidate, c_t and h_t. This is the data
 * the gate and state charts draw. All tensors are [T, B, H] in sequence time order.
 */
import type { RecurrentKind } from '../recurrent-spec';
import type { Tensor } from '../tensor';

export interface GateTrace {
  /** The argument of the gate's nonlinearity, peephole and recurrent terms included. */
  pre: Tensor;
  /** The gate's value: σ(pre) for gates, tanh(pre) for candidates (pre itself under NIAF). */
  act: Tensor;
}

export interface LayerTrace {
  layer: number;
  direction: 'forward' | 'reverse';
  /** LSTM: i (input), f (forget), g (candidate), o (output); GRU: r, z, n; RNN: h. Gates a variant removes are absent. */
  gates: Record<string, GateTrace>;
  /** Cell state c_t (LSTM only). */
  c: Tensor | null;
  /** Hidden state h_t. */
  h: Tensor;
}

export interface Trace {
  kind: RecurrentKind;
  /** "standard", "peephole", "cifg", "nig", …, "reset-after", "cho", "tanh", "relu". */
  variant: string;
  steps: number;
  batch: number;
  hiddenSize: number;
  /** Human names of the gate keys, e.g. { i: 'input gate', g: 'candidate' }. */
  gateLabels: Record<string, string>;
  layers: LayerTrace[];
}

/** ‖∂L/∂h_t‖ and ‖∂L/∂c_t‖ per time step, per layer and direction; filled by backward. */
export interface GradNorms {
  kind: RecurrentKind;
  filled: boolean;
  layers: Array<{ layer: number; direction: 'forward' | 'reverse'; h: Float64Array; c: Float64Array | null }>;
}
