/**
 * exportOnnx: a model (or `[model, head]`) as an ONNX graph for inference engines (ONNX Runtime,
 * TensorRT, OpenVINO…). Each recurrent layer is ONNX's own operator, so engines run their fused
 * kernels; the protobuf is written with onnx-proto (ONNX's .proto compiled for protobufjs).
 *
 * Graph, for L layers and D directions (opset 14):
 *   input [T, B, I]  (batchFirst: [B, T, I], transposed in and out)
 *   layer k:  Y_k, Yh_k (, Yc_k) = LSTM | GRU | RNN(X_k, W_k, R_k, B_k (, P_k))   Y_k: [T, D, B, H]
 *             X_{k+1} = Reshape(Transpose(Y_k, [0, 2, 1, 3]), [0, 0, −1])          [T, B, D·H]
 *   output = X_L;  h_n = Concat(Yh_0 … Yh_{L−1}) [L·D, B, H];  c_n likewise (LSTM)
 *   logits = MatMul(output, headᵀ) + bias   [T, B, O], the head at every step (take the last
 *            step for a 'last'-target model)
 * Optional inputs h0, c0 [L·D, B, H] (`{ state: true }`); without them the state starts at zero.
 *
 * Gate order: ours is PyTorch's, ONNX's differs, so weight rows are regrouped:
 *   LSTM  i f g o → i o f c     GRU  r z n → z r h     RNN  one block
 * Peepholes p_i, p_f, p_o → ONNX's P = [p_i, p_o, p_f]; CIFG (f = 1 − i) is ONNX's input_forget;
 * GRU reset-after (PyTorch's) is linear_before_reset = 1, Cho's reset-before is 0. Dropout
 * between layers is a training-time thing and absent here. The LSTM variants ONNX has no operator
 * for (no input, forget or output gate, no activation, full gate recurrence) are refused by name.
 * Weights are written as float32 (a float64 model's are rounded), which every engine runs.
 */
import { onnx } from 'onnx-proto';
import { GRU, LSTM, LstmError, RNN, RecurrentModel } from '../core/index';
import type { Tensor, Trainable } from '../core/index';
import { checkKeys, describe, unpackTrainable } from '../core/host';
import { checkHead } from './modules';

/** Options of exportOnnx(). */
export interface ExportOnnxOptions {
  /** Add graph inputs h0 (and c0 for an LSTM), [L·D, B, H], for the initial state. Default false. */
  state?: boolean;
  /** The graph's name in the file. Default the model's description. */
  name?: string;
}

const OPSET = 14;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
const A = onnx.AttributeProto.AttributeType;

/**
 * The model, or `[model, head]`, as the bytes of an ONNX file (inputs `input`, and `h0`/`c0`
 * with `{ state: true }`; outputs `output`, `h_n`, `c_n` for an LSTM, `logits` with a head).
 * @example writeFileSync(join(__dirname, 'model.onnx'), exportOnnx([model, head]));
 * @throws {LstmError} for something other than a model or `[model, head]`, a head that does not
 * fit the model, an LSTM variant ONNX has no operator for, or a bad option.
 */
export function exportOnnx(modules: Trainable, options: ExportOnnxOptions = {}): Uint8Array {
  const what = 'exportOnnx';
  const [model, head] = unpackTrainable(what, modules);
  checkHead(what, model, head);
  checkOptions(what, options);
  const graph = new GraphBuilder();
  const { kind, hiddenSize: H, numLayers: L, inputSize: I } = model;
  const D = model.bidirectional ? 2 : 1;
  const op = onnxOperator(what, model, D);

  graph.input('input', model.batchFirst ? ['B', 'T', I] : ['T', 'B', I]);
  let x = model.batchFirst ? graph.node('Transpose', ['input'], { perm: [1, 0, 2] }) : 'input';
  const withState = options.state === true;
  if (withState) {
    graph.input('h0', [L * D, 'B', H]);
    if (kind === 'lstm') graph.input('c0', [L * D, 'B', H]);
  }
  const finalH: string[] = [];
  const finalC: string[] = [];
  for (let k = 0; k < L; k++) {
    const layer = `l${k}`;
    const [W, R, B, P] = layerWeights(model, k, D, op.blocks);
    const inputs = [x, graph.initializer(`W_${layer}`, W), graph.initializer(`R_${layer}`, R)];
    inputs.push(B ? graph.initializer(`B_${layer}`, B) : '');
    inputs.push(''); // sequence_lens: every sequence runs the full T steps
    if (withState) {
      const slice = (name: string) =>
        graph.node('Slice', [
          name,
          graph.ints(`${layer}_from`, [k * D]),
          graph.ints(`${layer}_to`, [(k + 1) * D]),
          graph.ints('axis0', [0]),
        ]);
      inputs.push(slice('h0'));
      if (kind === 'lstm') inputs.push(slice('c0'));
    } else {
      inputs.push('');
      if (kind === 'lstm') inputs.push('');
    }
    if (P) inputs.push(graph.initializer(`P_${layer}`, P));
    while (inputs.at(-1) === '') inputs.pop();
    const outputs = kind === 'lstm' ? [`Y_${layer}`, `Yh_${layer}`, `Yc_${layer}`] : [`Y_${layer}`, `Yh_${layer}`];
    graph.node(
      op.type,
      inputs,
      { ...op.attributes, hidden_size: H, direction: D === 2 ? 'bidirectional' : 'forward' },
      outputs,
    );
    finalH.push(outputs[1]);
    if (kind === 'lstm') finalC.push(outputs[2]);
    // [T, D, B, H] → [T, B, D, H] → [T, B, D·H]: the next layer's input, or the output.
    const swapped = graph.node('Transpose', [outputs[0]], { perm: [0, 2, 1, 3] });
    x = graph.node('Reshape', [swapped, graph.ints('keep_T_B', [0, 0, -1])]);
  }
  const features = D * H;
  graph.output(
    graph.rename(model.batchFirst ? graph.node('Transpose', [x], { perm: [1, 0, 2] }) : x, 'output'),
    model.batchFirst ? ['B', 'T', features] : ['T', 'B', features],
  );
  // Every layer's final states, stacked as the model's are: [L·D, B, H].
  const stacked = (finals: string[], name: string) =>
    graph.output(graph.rename(finals.length > 1 ? graph.node('Concat', finals, { axis: 0 }) : finals[0], name), [
      L * D,
      'B',
      H,
    ]);
  stacked(finalH, 'h_n');
  if (kind === 'lstm') stacked(finalC, 'c_n');
  if (head) {
    const weight = head.weight; // [O, F]
    const [O, F] = weight.shape;
    const transposed = new Float32Array(F * O);
    for (let o = 0; o < O; o++) for (let f = 0; f < F; f++) transposed[f * O + o] = weight.data[o * F + f];
    let logits = graph.node('MatMul', [x, graph.initializer('head_weight_T', { data: transposed, dims: [F, O] })]);
    if (head.bias)
      logits = graph.node('Add', [
        logits,
        graph.initializer('head_bias', { data: Float32Array.from(head.bias.data), dims: [O] }),
      ]);
    // Batch-first models give batch-first logits, as their output is.
    if (model.batchFirst) logits = graph.node('Transpose', [logits], { perm: [1, 0, 2] });
    graph.output(graph.rename(logits, 'logits'), model.batchFirst ? ['B', 'T', O] : ['T', 'B', O]);
  }
  const name = options.name ?? (head ? `${model.toString()} + ${head.toString()}` : model.toString());
  return graph.encode(name);
}

function checkOptions(what: string, options: ExportOnnxOptions): void {
  checkKeys(what, options, ['state', 'name']);
  if (options.state !== undefined && typeof options.state !== 'boolean')
    throw new LstmError(`${what}: state expected true or false, got ${describe(options.state)}`);
  if (options.name !== undefined && typeof options.name !== 'string')
    throw new LstmError(`${what}: name expected a string, got ${describe(options.name)}`);
}

interface OnnxOperator {
  type: 'LSTM' | 'GRU' | 'RNN';
  /** Our gate blocks (PyTorch's order) in ONNX's order, as indices into ours. */
  blocks: number[];
  attributes: Record<string, number | string | string[]>;
}

function onnxOperator(what: string, model: RecurrentModel, D: number): OnnxOperator {
  if (model instanceof LSTM) {
    const f = model.flags;
    const missing = [
      !f.inputGate && 'no input gate (NIG)',
      !f.forgetGate && 'no forget gate (NFG)',
      !f.outputGate && 'no output gate (NOG)',
      !f.inputActivation && 'no input activation (NIAF)',
      !f.outputActivation && 'no output activation (NOAF)',
      f.fullGateRecurrence && 'full gate recurrence (FGR)',
    ].filter(Boolean);
    if (missing.length)
      throw new LstmError(
        `${what}: ONNX's LSTM operator has no form for the ${model.variant} variant (${missing.join(', ')}); standard, peephole, np and cifg LSTMs export`,
      );
    return { type: 'LSTM', blocks: [0, 3, 1, 2], attributes: f.coupled ? { input_forget: 1 } : {} };
  }
  if (model instanceof GRU)
    return { type: 'GRU', blocks: [1, 0, 2], attributes: { linear_before_reset: model.resetAfter ? 1 : 0 } };
  if (model instanceof RNN)
    // One activation per direction.
    return {
      type: 'RNN',
      blocks: [0],
      attributes: { activations: Array(D).fill(model.nonlinearity === 'relu' ? 'Relu' : 'Tanh') },
    };
  throw new LstmError(`${what}: expected an LSTM, GRU or RNN, got ${model.toString()}`);
}

interface Initial {
  data: Float32Array;
  dims: number[];
}

/** W [D, G·H, I], R [D, G·H, H], B [D, 2·G·H] (Wb then Rb) and P [D, 3H] of layer k, gate blocks in ONNX's order. */
function layerWeights(
  model: RecurrentModel,
  k: number,
  D: number,
  blocks: number[],
): [Initial, Initial, Initial | null, Initial | null] {
  const H = model.hiddenSize;
  const G = blocks.length;
  const p0 = model.parametersOf(k, 0);
  const I = p0.wih.shape[1];
  const W = new Float32Array(D * G * H * I);
  const R = new Float32Array(D * G * H * H);
  const B = p0.bih ? new Float32Array(D * 2 * G * H) : null;
  const P = p0.peephole ? new Float32Array(D * 3 * H) : null;
  for (let d = 0; d < D; d++) {
    const p = model.parametersOf(k, d);
    blocks.forEach((ours, slot) => {
      copyRows(p.wih, ours * H, H, W, (d * G + slot) * H);
      copyRows(p.whh, ours * H, H, R, (d * G + slot) * H);
      if (B && p.bih && p.bhh) {
        B.set(p.bih.data.subarray(ours * H, (ours + 1) * H), d * 2 * G * H + slot * H);
        B.set(p.bhh.data.subarray(ours * H, (ours + 1) * H), d * 2 * G * H + (G + slot) * H);
      }
    });
    // Ours: p_i, p_f, p_o; ONNX's: p_i, p_o, p_f.
    if (P && p.peephole)
      [0, 2, 1].forEach((ours, slot) =>
        P.set(p.peephole!.data.subarray(ours * H, (ours + 1) * H), d * 3 * H + slot * H),
      );
  }
  return [
    { data: W, dims: [D, G * H, I] },
    { data: R, dims: [D, G * H, H] },
    B && { data: B, dims: [D, 2 * G * H] },
    P && { data: P, dims: [D, 3 * H] },
  ];
}

/** Rows [from, from + count) of a row-major matrix into `out` at row `at` (float32). */
function copyRows(matrix: Tensor, from: number, count: number, out: Float32Array, at: number): void {
  const cols = matrix.shape[1];
  out.set(matrix.data.subarray(from * cols, (from + count) * cols), at * cols);
}

/** Collects nodes, initializers, inputs and outputs, naming intermediate values n0, n1, … */
class GraphBuilder {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly constants = new Set<string>();
  private count = 0;

  input(name: string, shape: (number | string)[]): void {
    this.inputs.push(valueInfo(name, shape));
  }

  output(name: string, shape: (number | string)[]): void {
    this.outputs.push(valueInfo(name, shape));
  }

  initializer(name: string, { data, dims }: Initial): string {
    const raw = new Uint8Array(data.length * 4);
    const view = new DataView(raw.buffer);
    for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i], true); // ONNX raw data is little-endian
    this.initializers.push({ name, dims, dataType: FLOAT, rawData: raw });
    return name;
  }

  /** An int64 constant (shapes, axes), once per name. */
  ints(name: string, values: number[]): string {
    if (!this.constants.has(name)) {
      this.constants.add(name);
      const raw = new Uint8Array(values.length * 8);
      const view = new DataView(raw.buffer);
      values.forEach((v, i) => view.setBigInt64(8 * i, BigInt(v), true));
      this.initializers.push({ name, dims: [values.length], dataType: INT64, rawData: raw });
    }
    return name;
  }

  /** Adds a node; returns its first output's name (a fresh one unless `outputs` are given). */
  node(
    type: string,
    inputs: string[],
    attributes: Record<string, number | string | number[] | string[]> = {},
    outputs?: string[],
  ): string {
    const out = outputs ?? [`n${this.count++}`];
    this.nodes.push({
      opType: type,
      input: inputs,
      output: out,
      name: `${type}_${this.nodes.length}`,
      attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
    });
    return out[0];
  }

  /** Gives the value `from` the graph-output name `to` (an Identity node). */
  rename(from: string, to: string): string {
    return this.node('Identity', [from], {}, [to]);
  }

  encode(name: string): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 7,
      producerName: 'lstm-notebook',
      opsetImport: [{ domain: '', version: OPSET }],
      graph: { name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, shape: (number | string)[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, value: number | string | number[] | string[]): onnx.IAttributeProto {
  if (typeof value === 'number') return { name, type: A.INT, i: value };
  if (typeof value === 'string') return { name, type: A.STRING, s: new TextEncoder().encode(value) };
  if (value.every((v) => typeof v === 'number')) return { name, type: A.INTS, ints: value as number[] };
  return { name, type: A.STRINGS, strings: (value as string[]).map((v) => new TextEncoder().encode(v)) };
}
