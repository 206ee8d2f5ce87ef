/**
 * What RNN, LSTM and GRU share: stacked layers, two directions, dropout between layers,
 * batch-first input, initial and final states, stateful use, traces and per-step gradient
 * norms. The cell-specific loops live in *-cell.ts; this file only wires buffers.
 *
 *   input  [T, B, I]  (batchFirst: [B, T, I])
 *   h0, c0 [L·D, B, H]  (row k·D + d is layer k, direction d — PyTorch's order)
 *   output [T, B, D·H]  (batchFirst: [B, T, D·H]); direction d fills columns d·H … d·H+H
 *   layer k > 0 reads the previous layer's output, after dropout when training.
 */
import { DEBUG_DESCRIPTION } from '../debug-description';
import { allocate, DType, FloatArray, getDefaultDType } from '../dtype';
import { LstmError, checkInt, checkNumber, describe } from '../errors';
import { Engine, usesWasm } from '../kernels/engine';
import { pollInterrupt } from '../interrupt';
import { checkInit, fillGlorot, fillOrthogonal, fillUniform, WeightInit } from '../init';
import { Module, namedGradients, parameter } from '../module';
import { exportStateDict, importStateDict, Layout, StateDictJSON } from '../statedict';
import { Rng, globalRng } from '../random';
import type { RecurrentKind, RecurrentSpec } from '../recurrent-spec';
import { directionSuffixes } from '../recurrent-spec';
import type { Tape } from '../tape';
import { Tensor, checkFinite, formatShape, sameShape, type NestedNumbers } from '../tensor';
import { ActiveInterventions, type Intervention, type InterventionOptions } from './intervention';
import {
  allocateRun,
  BackwardOptions,
  ExtraStepBuffers,
  LayerGrads,
  LayerWeights,
  SequenceRun,
  splitBlocks,
} from './run';
import type { GradNorms, LayerTrace, Trace } from './trace';

/**
 * Options every recurrent model takes (LSTM, GRU, RNN add their own). Shapes, with
 * L = numLayers, D = 2 if bidirectional else 1: input [T, B, I] (batchFirst: [B, T, I]),
 * output [T, B, D·H], states [L·D, B, H].
 */
export interface RecurrentOptions {
  /** I, the number of features per time step: the last axis of the input. An integer ≥ 1. */
  inputSize: number;
  /** H, the size of the hidden (and LSTM cell) state per direction. An integer ≥ 1. */
  hiddenSize: number;
  /** Stacked layers; layer k > 0 reads layer k − 1's output. Default 1. */
  numLayers?: number;
  /** Run each layer forwards and backwards in time and concatenate: output [T, B, 2·H]. Default false. */
  bidirectional?: boolean;
  /** Input and output as [B, T, features] instead of [T, B, features]. States stay [L·D, B, H]. Default false. */
  batchFirst?: boolean;
  /**
   * Dropout probability on the outputs of every layer but the last, while training (inverted
   * dropout: kept values are scaled by 1/(1 − p)). No effect with one layer. In [0, 0.999], default 0.
   */
  dropout?: number;
  /** Learn biases b_ih and b_hh. Default true. */
  bias?: boolean;
  /** The parameters' dtype. Default getDefaultDType() ('float32' unless changed). */
  dtype?: DType;
  /**
   * How weights are drawn:
   * 'pytorch' (default): every weight and bias U(±1/√H), as torch.nn.
   * 'glorot': Glorot-uniform W_ih and W_hh per gate block, zero biases.
   * 'orthogonal': Glorot-uniform W_ih, orthogonal W_hh per gate block, zero biases (Keras).
   */
  init?: WeightInit;
  /** The generator for initial weights and dropout masks. Default the global one (see seed()). */
  rng?: Rng;
  /**
   * Carry the final state of one forward() into the next (detached: no gradient flows across
   * calls), until resetState(). A given `state` option wins. Default false.
   */
  stateful?: boolean;
}

export const RECURRENT_OPTION_KEYS = [
  'inputSize',
  'hiddenSize',
  'numLayers',
  'bidirectional',
  'batchFirst',
  'dropout',
  'bias',
  'dtype',
  'init',
  'rng',
  'stateful',
] as const;

/**
 * A recurrent model's state: h (and c for an LSTM), each [L·D, B, H]. Row k·D + d is layer k,
 * direction d (PyTorch's order).
 */
export interface RecurrentState {
  /** [L·D, B, H] */
  h: Tensor;
  /** [L·D, B, H], LSTM only */
  c?: Tensor;
}

/** Options of forward(): initial state, a tape to train, traces for the charts, truncated BPTT. */
export interface ForwardOptions {
  /** Initial state; zeros (or the carried state of a stateful model) when absent. */
  state?: RecurrentState;
  /** Record on this tape for backpropagation. */
  tape?: Tape;
  /** Keep every gate's pre-activation and activation, c_t and h_t for the charts. */
  trace?: boolean;
  /** Measure ‖∂L/∂h_t‖ and ‖∂L/∂c_t‖ per step during backward (needs a tape). */
  gradNorms?: boolean;
  /** Truncated BPTT: gradients flow back at most within chunks of k steps (0 = full BPTT). */
  truncate?: number;
  /** Dropout on? Defaults to true exactly when a tape is given (a training step). */
  training?: boolean;
}

/** What forward() returns: the top layer's output and every layer's final state. */
export interface ForwardResult {
  /** [T, B, D·H] (batchFirst: [B, T, D·H]), the top layer's h_t at every step; direction d fills columns d·H … d·H + H − 1. */
  output: Tensor;
  /** The final state, h (and c) [L·D, B, H]: for the reverse direction, the state after reading step 0. */
  state: RecurrentState;
  /** Every gate, c_t and h_t per layer, when forward was called with `trace: true`. */
  trace?: Trace;
  /** ‖∂L/∂h_t‖ (and ‖∂L/∂c_t‖) per step, when forward was called with `gradNorms: true`; filled by tape.backward(). */
  gradNorms?: GradNorms;
}

interface LayerParams {
  wih: Tensor;
  whh: Tensor;
  bih: Tensor | null;
  bhh: Tensor | null;
  peephole: Tensor | null;
  gate: Tensor | null;
}

/** One forward call's sizes and switches, fixed once its options are checked. */
interface ForwardCall {
  /** Steps and samples. */
  T: number;
  B: number;
  /** Where every layer's loops run; the backward follows (run.engine). */
  engine: Engine;
  /** Keep what a trace shows: gate pre-activations and activations, c_t. */
  trace: boolean;
  /** A tape records this call: the runs keep what the backward reads. */
  keep: boolean;
}

/** One layer's forward: a run per direction, its output [T, B, D·H], the dropout mask on that output (null: none). */
interface LayerRun {
  runs: SequenceRun[];
  out: FloatArray;
  mask: FloatArray | null;
}

/** What the backward of one forward call reads. */
interface ForwardRecord {
  call: ForwardCall;
  input: Tensor;
  output: Tensor;
  initial: RecurrentState;
  final: RecurrentState;
  layers: LayerRun[];
  truncate: number;
  norms: GradNorms | undefined;
}

/**
 * What LSTM, GRU and RNN share: stacked layers, two directions, dropout between layers,
 * batch-first input, initial and final states, stateful use, traces and gradient norms.
 * Build one of the subclasses; this class is there for `instanceof` and types.
 *   input  [T, B, I]  (batchFirst: [B, T, I])
 *   h0, c0 [L·D, B, H]
 *   output [T, B, D·H]  (batchFirst: [B, T, D·H])
 */
export abstract class RecurrentModel implements Module {
  /** I: features per time step (the input's last axis). */
  readonly inputSize: number;
  /** H: hidden units per direction. */
  readonly hiddenSize: number;
  /** L: stacked layers. */
  readonly numLayers: number;
  /** Whether each layer also runs backwards in time (D = 2). */
  readonly bidirectional: boolean;
  /** Whether input and output are [B, T, ·] rather than [T, B, ·]. */
  readonly batchFirst: boolean;
  /** Dropout probability between layers while training (0: none). */
  readonly dropout: number;
  /** Whether the layers have biases. */
  readonly bias: boolean;
  /** The dtype of every parameter; inputs and states must match it. */
  readonly dtype: DType;
  /** Whether forward() carries its final state into the next call (see resetState()). Can be switched. */
  stateful: boolean;
  protected readonly rng: Rng;
  /** [layer][direction] */
  protected readonly layers: LayerParams[][] = [];
  private carried: RecurrentState | null = null;
  /**
   * Copies of what the last forward() ran on, so its gates can be looked at later (traceLastInput:
   * Debug Cell's gates of a paused model). A copy of one batch: O(T·B·I), next to the forward's
   * O(T·B·G·H·(I+H)).
   */
  private lastRun: { input: Tensor; state: RecurrentState } | null = null;
  /** Active interventions, in the order they were made (a later one wins on a shared unit). */
  private readonly fixes = new ActiveInterventions();

  /** 'lstm', 'gru' or 'rnn'. */
  abstract readonly kind: RecurrentKind;
  /** Gate blocks in the order they are stacked along the weights' first axis (LSTM i, f, g, o; GRU r, z, n; RNN h). */
  abstract readonly gateBlocks: readonly string[];
  protected abstract readonly hasCell: boolean;
  /** The cell's variant, as traces and toString() show it. */
  abstract get variant(): string;
  protected abstract get gateLabels(): Record<string, string>;
  protected abstract cellForward(run: SequenceRun, w: LayerWeights, h0: FloatArray, c0: FloatArray | null): void;
  protected abstract cellBackward(run: SequenceRun, w: LayerWeights, g: LayerGrads, opt: BackwardOptions): void;
  /** Gate keys present in a trace (variants may drop some). */
  protected abstract tracedGates(): string[];

  protected constructor(name: string, options: RecurrentOptions) {
    if (options === null || typeof options !== 'object')
      throw new LstmError(
        `${name}: expected an options object like { inputSize: 2, hiddenSize: 32 }, got ${describe(options)}`,
      );
    this.inputSize = checkInt(`${name}: inputSize`, options.inputSize, 1);
    this.hiddenSize = checkInt(`${name}: hiddenSize`, options.hiddenSize, 1);
    this.numLayers = checkInt(`${name}: numLayers`, options.numLayers ?? 1, 1);
    this.bidirectional = checkBool(`${name}: bidirectional`, options.bidirectional ?? false);
    this.batchFirst = checkBool(`${name}: batchFirst`, options.batchFirst ?? false);
    this.stateful = checkBool(`${name}: stateful`, options.stateful ?? false);
    this.bias = checkBool(`${name}: bias`, options.bias ?? true);
    this.dropout = checkNumber(`${name}: dropout`, options.dropout ?? 0, 0, 0.999);
    this.dtype = options.dtype ?? getDefaultDType();
    if (this.dtype !== 'float32' && this.dtype !== 'float64')
      throw new LstmError(`${name}: dtype expected "float32" or "float64", got ${describe(this.dtype)}`);
    checkInit(`${name}: init`, options.init ?? 'pytorch');
    if (options.rng !== undefined && !(options.rng instanceof Rng))
      throw new LstmError(`${name}: rng expected an Rng, got ${describe(options.rng)}`);
    this.rng = options.rng ?? globalRng;
  }

  /** Allocates and initialises every layer's parameters. Subclasses call it last in their constructor. */
  protected build(init: WeightInit, extra: { peephole: boolean; gate: boolean }): void {
    try {
      this.buildLayers(init, extra);
    } catch (error) {
      if (!(error instanceof LstmError)) throw error;
      throw new LstmError(
        `${this.constructor.name}({ inputSize: ${this.inputSize}, hiddenSize: ${this.hiddenSize}, numLayers: ${this.numLayers} }): its weights cannot be allocated: ${error.message}`,
      );
    }
  }

  private buildLayers(init: WeightInit, extra: { peephole: boolean; gate: boolean }): void {
    const H = this.hiddenSize;
    const G = this.gateBlocks.length;
    const D = this.directions;
    for (let k = 0; k < this.numLayers; k++) {
      const I = k === 0 ? this.inputSize : H * D;
      const row: LayerParams[] = [];
      for (let d = 0; d < D; d++) {
        const p: LayerParams = {
          wih: parameter([G * H, I], this.dtype),
          whh: parameter([G * H, H], this.dtype),
          bih: this.bias ? parameter([G * H], this.dtype) : null,
          bhh: this.bias ? parameter([G * H], this.dtype) : null,
          peephole: extra.peephole ? parameter([3 * H], this.dtype) : null,
          gate: extra.gate ? parameter([3 * H, 3 * H], this.dtype) : null,
        };
        if (init === 'pytorch') {
          const a = 1 / Math.sqrt(H);
          for (const t of [p.wih, p.whh, p.bih, p.bhh, p.peephole, p.gate]) if (t) fillUniform(t.data, -a, a, this.rng);
        } else {
          for (let gb = 0; gb < G; gb++) fillGlorot(p.wih.data, H, I, this.rng, gb * H * I);
          for (let gb = 0; gb < G; gb++) {
            if (init === 'orthogonal') fillOrthogonal(p.whh.data, H, this.rng, gb * H * H);
            else fillGlorot(p.whh.data, H, H, this.rng, gb * H * H);
          }
          if (p.gate) fillGlorot(p.gate.data, 3 * H, 3 * H, this.rng);
          if (p.peephole) fillUniform(p.peephole.data, -1 / Math.sqrt(H), 1 / Math.sqrt(H), this.rng);
        }
        row.push(p);
      }
      this.layers.push(row);
    }
  }

  /**
   * Where this model's loops run now: 'wasm' when the engine is 'wasm' (setEngine), the model
   * is float32 and its cell has WebAssembly kernels; 'js' otherwise.
   */
  get engine(): Engine {
    return usesWasm(this.dtype) && this.wasmCovers() ? 'wasm' : 'js';
  }

  /** The per-step buffers beyond gates, h and c that this cell's loops keep: none unless a cell says so. */
  protected extraStepBuffers(): ExtraStepBuffers {
    return { hn: false, rh: false };
  }

  /** Whether the WebAssembly kernels compute this cell (variants may not). */
  protected wasmCovers(): boolean {
    return true;
  }

  /** D: 2 when bidirectional, else 1. */
  get directions(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** The model's shape (kind, sizes, gate blocks), as state-dict converters and charts read it. */
  get spec(): RecurrentSpec {
    return {
      kind: this.kind,
      inputSize: this.inputSize,
      hiddenSize: this.hiddenSize,
      numLayers: this.numLayers,
      bidirectional: this.bidirectional,
      bias: this.bias,
      gateBlocks: this.gateBlocks,
    };
  }

  /**
   * Parameters under PyTorch's state-dict names, layer by layer: weight_ih_l{k}[_reverse]
   * [G·H, I_k], weight_hh_l{k} [G·H, H], bias_ih_l{k} and bias_hh_l{k} [G·H] (G gate blocks),
   * then the LSTM variants' weight_peephole_l{k} [3·H] and weight_gate_l{k} [3·H, 3·H].
   */
  namedParameters(): Array<[string, Tensor]> {
    const out: Array<[string, Tensor]> = [];
    const sfx = directionSuffixes(this.bidirectional);
    this.layers.forEach((row, k) =>
      row.forEach((p, d) => {
        const s = `_l${k}${sfx[d]}`;
        out.push([`weight_ih${s}`, p.wih], [`weight_hh${s}`, p.whh]);
        if (p.bih && p.bhh) out.push([`bias_ih${s}`, p.bih], [`bias_hh${s}`, p.bhh]);
        if (p.peephole) out.push([`weight_peephole${s}`, p.peephole]);
        if (p.gate) out.push([`weight_gate${s}`, p.gate]);
      }),
    );
    return out;
  }

  /**
   * The weights as JSON-able nested arrays, in PyTorch's (default) or Keras's layout.
   * @example const saved = JSON.stringify(model.stateDict());
   */
  stateDict(options: { layout?: Layout } = {}): StateDictJSON {
    return exportStateDict(this, options);
  }

  /**
   * Loads weights saved by PyTorch (`{k: v.tolist() for k, v in m.state_dict().items()}`) or
   * Keras. Everything is checked first; a mismatch lists every offending key and changes nothing.
   * Options: layout 'torch' (default) or 'keras'; strict (default true) refuses keys the model
   * does not have; `strict: false` ignores them. Missing keys are always refused.
   * @example model.loadStateDict(JSON.parse(saved));
   * @throws {LstmError} for missing keys, unknown keys (when strict), wrong shapes, non-numbers or
   * values a float32 model cannot hold; listing every problem, loading nothing.
   */
  loadStateDict(dict: unknown, options: { layout?: Layout; strict?: boolean } = {}): this {
    importStateDict(this, dict, options);
    return this;
  }

  /** ∂L/∂θ after a backward pass, under the state-dict names (weight_ih_l0, …). */
  gradients(): Record<string, Tensor> {
    return namedGradients(this);
  }

  /**
   * The trace of the last input forward() saw, run again now: with the current weights, the same
   * initial state, in eval mode (no dropout) and with no tape. Null before the first forward().
   * Changes nothing: a stateful model carries on from where it was, and the random generator is
   * not drawn from. Debug Cell shows a paused model's gates with it.
   * @example const trace = model.traceLastInput(); // after model.forward(x) or train(model, …)
   */
  traceLastInput(): Trace | null {
    const last = this.lastRun;
    return last ? this.traceOf(last.input, { state: last.state }) : null;
  }

  /**
   * The trace of `input` ([T, B, I], or [B, T, I] when batchFirst) from `state` (default zeros), in
   * eval mode with no tape, changing nothing: a stateful model's carried state, the last input
   * traceLastInput() replays and the random generator stay as they were. Live gate charts of a
   * fixed probe batch during training use it.
   * @example const trace = model.traceOf(probe); // between training steps
   */
  traceOf(input: Tensor | NestedNumbers, options: { state?: RecurrentState } = {}): Trace {
    const carried = this.carried;
    const last = this.lastRun;
    this.carried = null; // a stateful model would otherwise start from its carried state
    try {
      return this.forward(input, { state: options?.state, trace: true, training: false }).trace!;
    } finally {
      this.carried = carried;
      this.lastRun = last;
    }
  }

  /**
   * Holds units of one layer at fixed values inside the recurrence: `on` a gate (LSTM i, f, g, o;
   * GRU r, z, n), 'c' or 'h'; `mode` 'zero' (default), 'clamp' (to `value`) or 'mean' (each unit's
   * mean over `over`, default the last input). Forward, traces, sampling and training all see the
   * fixed values, and no gradient flows through them. Returns a handle: `remove()` undoes it, and
   * the model computes exactly as before. Both engines apply them (the JS loops and the
   * WebAssembly kernels), at the same speed as without.
   * @example const ablation = model.intervene({ on: 'h', units: [3, 7] }); … ablation.remove();
   * @throws {LstmError} for an unknown quantity, a layer, direction or unit out of range, repeated
   * units, a clamp without finite values, or 'mean' with no input to average over.
   */
  intervene(options: InterventionOptions): Intervention {
    return this.fixes.add(
      {
        name: this.constructor.name,
        hiddenSize: this.hiddenSize,
        numLayers: this.numLayers,
        bidirectional: this.bidirectional,
        quantities: [...new Set([...this.tracedGates(), ...(this.hasCell ? ['c'] : []), 'h'])],
        dtype: this.dtype,
        traceOver: (over) => {
          const input = over ?? this.lastRun?.input;
          return input === undefined ? null : this.traceOf(input as Tensor | NestedNumbers);
        },
      },
      options,
    );
  }

  /** The active interventions, oldest first. */
  get interventions(): readonly Intervention[] {
    return this.fixes.all();
  }

  /** Removes every active intervention. */
  removeInterventions(): void {
    this.fixes.removeAll();
  }

  /** Forgets the state a stateful model carries between calls. */
  resetState(): void {
    this.carried = null;
  }

  /**
   * Zero initial state of the right shape for a batch of B: h (and c) [L·D, B, H].
   * @example const state = model.zeroState(4);
   */
  zeroState(batch: number): RecurrentState {
    const shape = [this.numLayers * this.directions, batch, this.hiddenSize];
    return this.hasCell
      ? { h: Tensor.zeros(shape, this.dtype), c: Tensor.zeros(shape, this.dtype) }
      : { h: Tensor.zeros(shape, this.dtype) };
  }

  /**
   * Runs the sequence `input` ([T, B, I], or [B, T, I] when batchFirst; nested arrays are converted
   * with the model's dtype) through every layer. Returns `output` [T, B, D·H] (batchFirst:
   * [B, T, D·H]) and the final `state` h (and c) [L·D, B, H]; `trace` and `gradNorms` when asked.
   * With a tape, records one fused BPTT entry per call; dropout is on while training.
   * @example const { output, state } = model.forward(Tensor.zeros([10, 4, 2])); // T=10, B=4, I=2
   * @throws {LstmError} for an input not of rank 3 with last axis I, of another dtype than the model,
   * with NaN or ∞, or with no steps or samples; for a state of the wrong shape or dtype; for an
   * unknown option, a negative truncate, gradNorms without a tape, or a stateful model's carried
   * state met by another batch size.
   */
  forward(input: Tensor | NestedNumbers, options: ForwardOptions = {}): ForwardResult {
    const name = this.constructor.name;
    // Every check before any work: a call that fails changes nothing.
    const { x, T, B, truncate, training } = this.checkForward(name, input, options);
    const state = this.initialState(name, options.state, B);
    const tape = options.tape;
    // One engine for the whole forward, and the backward follows it (run.engine).
    const call: ForwardCall = { T, B, engine: this.engine, trace: options.trace === true, keep: tape !== undefined };

    // The layers bottom up, each direction's cell over the whole sequence; the top layer's h_t is the output.
    const layers = this.runLayers(call, x, state, training);
    const output = this.outputOf(call, layers[layers.length - 1].out);
    const final = this.finalState(call, layers);
    const result: ForwardResult = { output, state: final };
    if (options.trace) result.trace = this.buildTrace(call, layers);
    // Copies, so that later edits of the tensors returned or given cannot change them: the state
    // a stateful model starts its next call from, and what traceLastInput() replays.
    if (this.stateful) this.carried = cloneState(final);
    this.lastRun = { input: x.clone(), state: cloneState(state) };
    if (tape) {
      // The norms are measured by the backward; the result hands out the arrays it will fill.
      const norms = options.gradNorms ? this.emptyGradNorms(T) : undefined;
      if (norms) result.gradNorms = norms;
      this.recordBackward(tape, { call, input: x, output, initial: state, final, layers, truncate, norms });
    }
    return result;
  }

  /**
   * forward()'s arguments checked: the input as a Tensor of the model's dtype, [T, B, I]
   * (batchFirst: [B, T, I]; nested arrays are converted), finite, with at least one step and one
   * sample; the options known, truncate an integer ≥ 0, gradNorms only with a tape.
   */
  private checkForward(
    name: string,
    input: Tensor | NestedNumbers,
    options: ForwardOptions,
  ): { x: Tensor; T: number; B: number; truncate: number; training: boolean } {
    checkForwardKeys(name, options);
    const x = this.checkInput(name, input);
    const [T, B] = this.batchFirst ? [x.shape[1], x.shape[0]] : [x.shape[0], x.shape[1]];
    if (T === 0 || B === 0)
      throw new LstmError(
        `${name}.forward: expected at least one time step and one sample, got input shape ${formatShape(x.shape)}`,
      );
    const truncate = checkInt(`${name}.forward: truncate`, options.truncate ?? 0, 0);
    // Dropout is for training steps: on with a tape unless told otherwise.
    const training = options.training ?? options.tape !== undefined;
    if (options.gradNorms && !options.tape)
      throw new LstmError(
        `${name}.forward: gradNorms needs a tape (they are measured during backward); pass { tape, gradNorms: true }`,
      );
    return { x, T, B, truncate, training };
  }

  /** The input as a Tensor [T, B, I] (batchFirst: [B, T, I]) of the model's dtype, finite; nested arrays converted. */
  private checkInput(name: string, input: Tensor | NestedNumbers): Tensor {
    const I = this.inputSize;
    const layout = this.batchFirst ? ['B', 'T', `I=${I}`] : ['T', 'B', `I=${I}`];
    if (Array.isArray(input)) input = Tensor.from(input, undefined, this.dtype);
    if (!(input instanceof Tensor))
      throw new LstmError(
        `${name}.forward: expected an input Tensor (or nested arrays) of shape [${layout.join(', ')}], got ${describe(input)}`,
      );
    if (input.shape.length !== 3 || input.shape[2] !== I) {
      throw new LstmError(
        `${name}.forward: expected input of shape [${layout.join(', ')}]${this.batchFirst ? ' (batchFirst)' : ''}, got ${formatShape(input.shape)}`,
      );
    }
    if (input.dtype !== this.dtype)
      throw new LstmError(
        `${name}.forward: the model is ${this.dtype} but the input is ${input.dtype}; convert one with .clone('${this.dtype}') or build the model with { dtype: '${input.dtype}' }`,
      );
    checkFinite(`${name}.forward: input`, input);
    return input;
  }

  /**
   * Every layer in turn, bottom up: each direction's cell over the sequence, both writing into
   * the layer's output [T, B, D·H]; while training, dropout on what the next layer reads.
   */
  private runLayers(call: ForwardCall, input: Tensor, state: RecurrentState, training: boolean): LayerRun[] {
    const { T, B } = call;
    // The cells read time-major rows: [T, B, I].
    let x = this.batchFirst ? swapFirstAxes(input.data, B, T, this.inputSize, this.dtype) : input.data;
    const layers: LayerRun[] = [];
    for (let k = 0; k < this.numLayers; k++) {
      pollInterrupt();
      const out = allocate(this.dtype, T * B * this.directions * this.hiddenSize);
      const runs: SequenceRun[] = [];
      for (let d = 0; d < this.directions; d++) runs.push(this.runDirection(call, k, d, x, out, state));
      // The top layer's output is the model's: no dropout after it.
      const dropped = k < this.numLayers - 1 && training && this.dropout > 0 ? this.applyDropout(out) : null;
      layers.push({ runs, out, mask: dropped?.mask ?? null });
      x = dropped?.x ?? out;
    }
    return layers;
  }

  /**
   * Layer k's cell in direction d (1: backwards in time) over x [T, B, I_k], from row k·D + d of
   * the initial state; it writes columns d·H … d·H + H − 1 of the layer's output [T, B, D·H].
   */
  private runDirection(
    call: ForwardCall,
    k: number,
    d: number,
    x: FloatArray,
    out: FloatArray,
    state: RecurrentState,
  ): SequenceRun {
    const { T, B } = call;
    const H = this.hiddenSize;
    const D = this.directions;
    const run = allocateRun(
      this.dtype,
      {
        T,
        B,
        I: k === 0 ? this.inputSize : H * D,
        H,
        G: this.gateBlocks.length,
        reverse: d === 1,
        hasCell: this.hasCell,
        trace: call.trace,
        extra: this.extraStepBuffers(),
        engine: call.engine,
        keep: call.keep,
        fixed: this.fixes.overridesFor(k, d === 1 ? 'reverse' : 'forward', H),
      },
      x,
      out,
      d * H,
      D * H,
    );
    const sOff = (k * D + d) * B * H;
    this.cellForward(
      run,
      this.weights(k, d),
      state.h.data.subarray(sOff, sOff + B * H),
      state.c ? state.c.data.subarray(sOff, sOff + B * H) : null,
    );
    return run;
  }

  /**
   * Inverted dropout between layers: keep each value with probability 1 − p and scale it by
   * 1/(1 − p), so evaluation needs no change. Returns what the next layer reads and the mask (0
   * or 1/(1 − p) per value) its backward multiplies by.
   */
  private applyDropout(y: FloatArray): { x: FloatArray; mask: FloatArray } {
    const mask = allocate(this.dtype, y.length);
    const keep = 1 / (1 - this.dropout);
    const x = allocate(this.dtype, y.length);
    for (let n = 0; n < y.length; n++) {
      mask[n] = this.rng.random() < this.dropout ? 0 : keep;
      x[n] = y[n] * mask[n];
    }
    return { x, mask };
  }

  /** The model's output from the top layer's [T, B, D·H] (batchFirst: [B, T, D·H]). */
  private outputOf(call: ForwardCall, top: FloatArray): Tensor {
    const { T, B } = call;
    const DH = this.directions * this.hiddenSize;
    return this.batchFirst
      ? new Tensor(swapFirstAxes(top, T, B, DH, this.dtype), [B, T, DH])
      : new Tensor(top, [T, B, DH]);
  }

  /** The final state h (and c) [L·D, B, H], row k·D + d from layer k's run in direction d. */
  private finalState(call: ForwardCall, layers: LayerRun[]): RecurrentState {
    const { B } = call;
    const H = this.hiddenSize;
    const D = this.directions;
    const h = Tensor.zeros([this.numLayers * D, B, H], this.dtype);
    const c = this.hasCell ? Tensor.zeros([this.numLayers * D, B, H], this.dtype) : null;
    layers.forEach((layer, k) =>
      layer.runs.forEach((run, d) => {
        const sOff = (k * D + d) * B * H;
        h.data.set(run.hLast, sOff);
        if (c && run.cLast) c.data.set(run.cLast, sOff);
      }),
    );
    return c ? { h, c } : { h };
  }

  /** Per layer and direction, ‖∂L/∂h_t‖ (and ‖∂L/∂c_t‖) of every step: zeros until the backward fills them. */
  private emptyGradNorms(T: number): GradNorms {
    const layers: GradNorms['layers'] = [];
    for (let k = 0; k < this.numLayers; k++)
      for (let d = 0; d < this.directions; d++)
        layers.push({
          layer: k,
          direction: d === 0 ? 'forward' : 'reverse',
          h: new Float64Array(T),
          c: this.hasCell ? new Float64Array(T) : null,
        });
    return { kind: this.kind, filled: false, layers };
  }

  /**
   * One tape entry for the whole forward (a fused BPTT): the layers top down, each direction's
   * cell backward from ∂L/∂output and ∂L/∂(final state), back through the dropout masks, into
   * ∂L/∂input and ∂L/∂(initial state) where those have gradients.
   */
  private recordBackward(tape: Tape, f: ForwardRecord): void {
    const { T, B } = f.call;
    const DH = this.directions * this.hiddenSize;
    tape.track(f.output);
    tape.track(f.final.h);
    if (f.final.c) tape.track(f.final.c);
    tape.record(() => {
      // Read at backward time: x.requireGrad() may come after the forward.
      const inputGrad = f.input.grad;
      let dY = this.batchFirst ? swapFirstAxes(f.output.grad!, B, T, DH, this.dtype) : f.output.grad!;
      for (let k = this.numLayers - 1; k >= 0; k--) {
        const dx = this.layerBackward(f, k, dY, k > 0 || inputGrad !== null);
        if (k > 0 && dx) {
          // Back through the dropout on layer k − 1's output.
          const mask = f.layers[k - 1].mask;
          if (mask) for (let n = 0; n < dx.length; n++) dx[n] *= mask[n];
          dY = dx;
        } else if (dx && inputGrad) {
          const dIn = this.batchFirst ? swapFirstAxes(dx, T, B, this.inputSize, this.dtype) : dx;
          for (let n = 0; n < dIn.length; n++) inputGrad[n] += dIn[n];
        }
      }
      if (f.norms) f.norms.filled = true;
    });
  }

  /**
   * Layer k's backward in both directions, given ∂L/∂(its output) dY [T, B, D·H]: adds into its
   * weights' gradients and the initial state's, and returns ∂L/∂(its input) [T, B, I_k] (null
   * when not wanted).
   */
  private layerBackward(f: ForwardRecord, k: number, dY: FloatArray, wantDx: boolean): FloatArray | null {
    const { T, B } = f.call;
    const H = this.hiddenSize;
    const D = this.directions;
    const Ik = k === 0 ? this.inputSize : H * D;
    const dx = wantDx ? allocate(this.dtype, T * B * Ik) : null;
    const { final, initial, norms } = f;
    for (let d = 0; d < D; d++) {
      const sOff = (k * D + d) * B * H;
      this.cellBackward(f.layers[k].runs[d], this.weights(k, d), this.grads(k, d), {
        dOut: dY,
        dhLast: final.h.grad!.subarray(sOff, sOff + B * H),
        dcLast: final.c ? final.c.grad!.subarray(sOff, sOff + B * H) : null,
        dx,
        dh0: initial.h.grad ? initial.h.grad.subarray(sOff, sOff + B * H) : null,
        dc0: initial.c?.grad ? initial.c.grad.subarray(sOff, sOff + B * H) : null,
        truncate: f.truncate,
        norms: norms ? { h: norms.layers[k * D + d].h, c: norms.layers[k * D + d].c } : null,
      });
    }
    return dx;
  }

  private initialState(name: string, given: RecurrentState | undefined, B: number): RecurrentState {
    const shape = [this.numLayers * this.directions, B, this.hiddenSize];
    if (given === undefined) {
      if (this.carried && this.carried.h.shape[1] === B) return this.carried;
      if (this.carried)
        throw new LstmError(
          `${name}.forward: this stateful model carries a state for batch ${this.carried.h.shape[1]}, got a batch of ${B}; call resetState() first`,
        );
      return this.zeroState(B);
    }
    if (given === null || typeof given !== 'object')
      throw new LstmError(
        `${name}.forward: state expected { h${this.hasCell ? ', c' : ''} } tensors of shape ${formatShape(shape)}, got ${describe(given)}`,
      );
    const check = (key: 'h' | 'c', t: unknown): Tensor => {
      if (!(t instanceof Tensor))
        throw new LstmError(
          `${name}.forward: state.${key} expected a Tensor of shape ${formatShape(shape)} [layers·directions, batch, hidden], got ${describe(t)}`,
        );
      if (!sameShape(t.shape, shape)) {
        throw new LstmError(
          `${name}.forward: state.${key} expected shape ${formatShape(shape)} [layers·directions, batch, hidden], got ${formatShape(t.shape)}`,
        );
      }
      if (t.dtype !== this.dtype)
        throw new LstmError(`${name}.forward: state.${key} expected ${this.dtype}, got ${t.dtype}`);
      checkFinite(`${name}.forward: state.${key}`, t);
      return t;
    };
    const h = check('h', given.h);
    if (!this.hasCell) {
      if (given.c !== undefined)
        throw new LstmError(
          `${name}.forward: a ${this.kind.toUpperCase()} has no cell state; expected state { h }, got one with c`,
        );
      return { h };
    }
    if (given.c === undefined) throw new LstmError(`${name}.forward: an LSTM state needs both h and c, got only h`);
    return { h, c: check('c', given.c) };
  }

  private weights(k: number, d: number): LayerWeights {
    const p = this.layers[k][d];
    return {
      wih: p.wih.data,
      whh: p.whh.data,
      bih: p.bih?.data ?? null,
      bhh: p.bhh?.data ?? null,
      peephole: p.peephole?.data ?? null,
      gate: p.gate?.data ?? null,
    };
  }

  private grads(k: number, d: number): LayerGrads {
    const p = this.layers[k][d];
    return {
      wih: p.wih.grad,
      whh: p.whh.grad,
      bih: p.bih?.grad ?? null,
      bhh: p.bhh?.grad ?? null,
      peephole: p.peephole?.grad ?? null,
      gate: p.gate?.grad ?? null,
    };
  }

  /** The trace for the charts: per layer and direction, each traced gate's pre-activation and activation, c_t and h_t, [T, B, H] each. */
  private buildTrace(call: ForwardCall, layers: LayerRun[]): Trace {
    const { T, B } = call;
    const H = this.hiddenSize;
    const D = this.directions;
    const G = this.gateBlocks.length;
    const keys = this.tracedGates();
    const traced: LayerTrace[] = [];
    const tensor = (data: FloatArray): Tensor => new Tensor(data, [T, B, H]);
    layers.forEach((layer, k) => {
      const h = splitBlocks(layer.out, T * B, D, H); // h_t of each direction
      layer.runs.forEach((run, d) => {
        // A 'wasm' run copied its gates out per block already; a 'js' run's are cut from [T, B, G·H] here.
        const blocks = run.gateBlocks ?? {
          pre: splitBlocks(run.pre!, T * B, G, H),
          act: splitBlocks(run.gates, T * B, G, H),
        };
        const gates: LayerTrace['gates'] = {};
        for (const key of keys) {
          const block = this.gateBlocks.indexOf(key);
          gates[key] = { pre: tensor(blocks.pre[block]), act: tensor(blocks.act[block]) };
        }
        traced.push({
          layer: k,
          direction: d === 0 ? 'forward' : 'reverse',
          gates,
          c: run.c ? tensor(run.c) : null,
          h: tensor(h[d]),
        });
      });
    });
    return {
      kind: this.kind,
      variant: this.variant,
      steps: T,
      batch: B,
      hiddenSize: H,
      gateLabels: this.gateLabels,
      layers: traced,
    };
  }

  /**
   * Direct access for layout converters and tests: the parameter tensors of layer k, direction d (default 0).
   * @throws {LstmError} when k or d is out of range.
   */
  parametersOf(k: number, d = 0): Readonly<LayerParams> {
    if (!this.layers[k]?.[d])
      throw new LstmError(
        `parametersOf: expected layer < ${this.numLayers} and direction < ${this.directions}, got ${k}, ${d}`,
      );
    return this.layers[k][d];
  }

  /** A short description: `LSTM(2 → 16, 2 layers, dropout 0.2)`, with the count of active interventions. */
  toString(): string {
    const extras = [
      this.numLayers > 1 ? `${this.numLayers} layers` : '',
      this.bidirectional ? 'bidirectional' : '',
      this.variant !== 'standard' ? this.variant : '',
      this.dropout > 0 ? `dropout ${this.dropout}` : '',
      this.fixes.count ? `${this.fixes.count} intervention${this.fixes.count === 1 ? '' : 's'}` : '',
    ].filter(Boolean);
    return `${this.constructor.name}(${this.inputSize} → ${this.hiddenSize}${extras.length ? ', ' + extras.join(', ') : ''})`;
  }

  /** What the debugger shows for the model: its toString(). */
  [DEBUG_DESCRIPTION](): string {
    return this.toString();
  }
}

/** [A, B, X] → [B, A, X] copy. */
function swapFirstAxes(src: FloatArray, A: number, B: number, X: number, dtype: DType): FloatArray {
  const out = allocate(dtype, src.length);
  for (let a = 0; a < A; a++)
    for (let b = 0; b < B; b++) out.set(src.subarray((a * B + b) * X, (a * B + b + 1) * X), (b * A + a) * X);
  return out;
}

function checkBool(what: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new LstmError(`${what}: expected true or false, got ${describe(v)}`);
  return v;
}

const FORWARD_KEYS = ['state', 'tape', 'trace', 'gradNorms', 'truncate', 'training'];
function checkForwardKeys(name: string, options: unknown): void {
  if (options === null || typeof options !== 'object')
    throw new LstmError(`${name}.forward: expected options like { trace: true }, got ${describe(options)}`);
  const unknown = Object.keys(options).filter((k) => !FORWARD_KEYS.includes(k));
  if (unknown.length)
    throw new LstmError(
      `${name}.forward: unknown option ${unknown.map((k) => JSON.stringify(k)).join(', ')}; expected one of ${FORWARD_KEYS.join(', ')}`,
    );
}

function cloneState(state: RecurrentState): RecurrentState {
  return state.c ? { h: state.h.clone(), c: state.c.clone() } : { h: state.h.clone() };
}
