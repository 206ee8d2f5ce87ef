/**
 * What a forward pass shows when asked for a trace: per layer, direction and time step,
 * every gate's pre-activation and activation, the candidate, c_t and h_t. This is the data
 * the gate and state charts draw. All tensors are [T, B, H] in sequence time order.
 */
import type { RecurrentKind } from '../recurrent-spec';
import type { Tensor } from '../tensor';

/** One gate of one layer and direction over the sequence: pre-activation and value, each [T, B, H]. */
export interface GateTrace {
  /** The argument of the gate's nonlinearity, peephole and recurrent terms included. */
  pre: Tensor;
  /** The gate's value: σ(pre) for gates, tanh(pre) for candidates (pre itself under NIAF). */
  act: Tensor;
}

/** What one layer and direction computed at every step, each tensor [T, B, H] in sequence time order. */
export interface LayerTrace {
  /** The layer index k, 0 at the input. */
  layer: number;
  /** 'reverse' is the backward-in-time half of a bidirectional layer. */
  direction: 'forward' | 'reverse';
  /** LSTM: i (input), f (forget), g (candidate), o (output); GRU: r, z, n; RNN: h. Gates a variant removes are absent. */
  gates: Record<string, GateTrace>;
  /** Cell state c_t (LSTM only). */
  c: Tensor | null;
  /** Hidden state h_t. */
  h: Tensor;
}

/**
 * What forward(x, { trace: true }) records for the charts: per layer and direction, every gate's
 * pre-activation and activation, c_t and h_t, each [T, B, H] in sequence time order.
 */
export interface Trace {
  /** 'lstm', 'gru' or 'rnn'. */
  kind: RecurrentKind;
  /** "standard", "peephole", "cifg", "nig", …, "reset-after", "cho", "tanh", "relu". */
  variant: string;
  /** T, the number of time steps. */
  steps: number;
  /** B, the number of samples. */
  batch: number;
  /** H, units per direction. */
  hiddenSize: number;
  /** Human names of the gate keys, e.g. { i: 'input gate', g: 'candidate' }. */
  gateLabels: Record<string, string>;
  /** One entry per layer and direction, layer 0 first, forward before reverse. */
  layers: LayerTrace[];
}

/** ‖∂L/∂h_t‖ and ‖∂L/∂c_t‖ per time step, per layer and direction; filled by backward. */
export interface GradNorms {
  /** 'lstm', 'gru' or 'rnn'. */
  kind: RecurrentKind;
  /** false until tape.backward() has run and written the norms. */
  filled: boolean;
  /** Per layer and direction: ‖∂L/∂h_t‖ for t = 0 … T − 1 in `h`, ‖∂L/∂c_t‖ in `c` (LSTM only, else null). */
  layers: Array<{ layer: number; direction: 'forward' | 'reverse'; h: Float64Array; c: Float64Array | null }>;
}
