/**
 * Keras layout: the weights of Keras 2/3 LSTM, GRU, SimpleRNN, Dense and Embedding layers
 * (`layer.get_weights()` / `set_weights()`), one recurrent layer and direction per suffix:
 *
 *   kernel_l{k}{s}            [I_k, G·H]  = weight_ih_l{k}{s}ᵀ
 *   recurrent_kernel_l{k}{s}  [H, G·H]    = weight_hh_l{k}{s}ᵀ
 *   bias_l{k}{s}              see below
 *
 * with s = '' or '_reverse' (Keras `Bidirectional` holds a forward and a backward layer and,
 * with merge_mode='concat', feeds [forward, backward] to the next layer, as PyTorch does).
 * Gate blocks along the G·H axis: Keras LSTM i, f, c, o = ours i, f, g, o; Keras GRU z, r, h
 * against ours r, z, n, so blocks are reordered; SimpleRNN has one block. Keras' defaults are
 * assumed for the activations (sigmoid gates, tanh candidates).
 *
 * Biases. Keras has one bias where PyTorch has two (b_ih, b_hh), except for the GRU with
 * reset_after=True:
 *   LSTM, SimpleRNN: bias [G·H] = b_ih + b_hh. Both only ever appear summed in the forward
 *     pass, so the export loses nothing; an import puts the sum in b_ih and zeros b_hh.
 *   GRU, resetAfter true (Keras reset_after=True, the Keras 2.x/3 default, cuDNN): bias
 *     [2, 3H], row 0 = b_ih, row 1 = b_hh (blocks reordered). Exact both ways: b_hn must stay
 *     apart from b_in because r multiplies it, n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)).
 *   GRU, resetAfter false (Keras reset_after=False, Cho et al. 2014): bias [3H] = b_ih + b_hh.
 *     For r and z the two only appear summed. For n they do too, because in this form b_hn
 *     sits outside the reset product: n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn). So the
 *     export is exact for the forward pass even with nonzero b_hh; an import sets b_ih to the
 *     Keras bias and b_hh to zero.
 * Dense: kernel [in, out] = weightᵀ, bias [out]. Embedding: embeddings [num, dim] = weight.
 * Keras has no slot for our LSTM variants' weight_peephole_* and weight_gate_*: such models
 * (and LSTM variants whose gating differs from Keras', like CIFG) cannot use this layout.
 */
import { allocate, DType, FloatArray } from '../dtype';
import { Embedding } from '../embedding';
import { LstmError } from '../errors';
import { directionSuffixes, RecurrentSpec } from '../recurrent-spec';
import { Tensor, formatShape } from '../tensor';
import type { Slot, StateDictModule } from './slots';

/** Keras' gate order, in our block names. */
const KERAS_BLOCKS: Record<string, readonly string[]> = {
  lstm: ['i', 'f', 'g', 'o'],
  gru: ['z', 'r', 'n'],
  rnn: ['h'],
};
const KERAS_LAYER: Record<string, string> = { lstm: 'LSTM', gru: 'GRU', rnn: 'SimpleRNN' };
/** LSTM variants whose forward pass a Keras LSTM computes. */
const KERAS_LSTM_VARIANTS = ['standard', 'np'];

/**
 * The Keras slots of a module. Throws when the module has parameters Keras has no place for,
 * naming them.
 */
export function kerasSlots(what: string, module: StateDictModule, params: Map<string, Tensor>): Slot[] {
  let slots: KerasSlot[];
  let family: string;
  if (module.spec !== undefined && module.spec !== null) {
    family = `Keras ${KERAS_LAYER[module.spec.kind] ?? module.spec.kind}`;
    slots = recurrentSlots(what, module.spec, params, module.dtype);
    const variant = (module as { variant?: unknown }).variant;
    if (
      module.spec.kind === 'lstm' &&
      typeof variant === 'string' &&
      !KERAS_LSTM_VARIANTS.includes(variant) &&
      unmapped(slots, params).length === 0
    ) {
      throw new LstmError(
        `${what}: keras layout: a Keras LSTM cannot compute the "${variant}" LSTM variant; use layout 'torch'`,
      );
    }
  } else if (module instanceof Embedding || ('numEmbeddings' in module && 'embeddingDim' in module)) {
    family = 'Keras Embedding';
    const w = params.get('weight');
    slots = w
      ? [{ key: 'embeddings', shape: w.shape, sources: ['weight'], read: () => w.data, write: (v) => w.data.set(v) }]
      : [];
  } else {
    family = 'Keras Dense';
    slots = denseSlots(params);
  }
  const left = unmapped(slots, params);
  if (left.length > 0) {
    const variant = left.some((n) => /^weight_(peephole|gate)_l/.test(n)) ? ' (parameters of an LSTM variant)' : '';
    throw new LstmError(
      `${what}: keras layout: ${slots.length > 0 ? `${family} has no slot for` : 'no Keras weight holds'} ${left.join(', ')}${variant}; use layout 'torch' for this model` +
        (slots.length === 0 ? ' (the keras layout knows LSTM, GRU, RNN, Linear and Embedding)' : ''),
    );
  }
  return slots;
}

/** Names of parameters that no slot covers. */
function unmapped(slots: KerasSlot[], params: Map<string, Tensor>): string[] {
  const covered = new Set(slots.flatMap((s) => s.sources));
  return [...params.keys()].filter((n) => !covered.has(n));
}

interface KerasSlot extends Slot {
  /** The parameters this slot reads and writes. */
  readonly sources: readonly string[];
}

function need(what: string, params: Map<string, Tensor>, name: string, shape: readonly (number | null)[]): Tensor {
  const p = params.get(name);
  const ok =
    p !== undefined && p.shape.length === shape.length && shape.every((d, i) => d === null || d === p.shape[i]);
  if (!ok) {
    const want = `[${shape.map((d) => d ?? '?').join(', ')}]`;
    throw new LstmError(
      `${what}: the model's spec calls for a parameter ${name} of shape ${want}, but namedParameters() has ${p ? formatShape(p.shape) : 'none'}`,
    );
  }
  return p;
}

function recurrentSlots(what: string, spec: RecurrentSpec, params: Map<string, Tensor>, dtype: DType): KerasSlot[] {
  const order = KERAS_BLOCKS[spec.kind];
  if (!order) throw new LstmError(`${what}: keras layout: unknown recurrent kind ${JSON.stringify(spec.kind)}`);
  // perm[j] = our block index of Keras block j.
  const perm = order.map((b) => spec.gateBlocks.indexOf(b));
  if (spec.gateBlocks.length !== order.length || perm.includes(-1)) {
    throw new LstmError(
      `${what}: keras layout: a ${spec.kind} spec should have gate blocks ${order.join(', ')} in some order, got ${spec.gateBlocks.join(', ')}`,
    );
  }
  const G = order.length;
  const H = spec.hiddenSize;
  const GH = G * H;
  const resetAfter = spec.kind === 'gru' && spec.resetAfter !== false;
  const slots: KerasSlot[] = [];
  for (let k = 0; k < spec.numLayers; k++) {
    for (const s of directionSuffixes(spec.bidirectional)) {
      const sfx = `_l${k}${s}`;
      const wih = need(what, params, `weight_ih${sfx}`, [GH, null]);
      const whh = need(what, params, `weight_hh${sfx}`, [GH, H]);
      slots.push(kernelSlot(`kernel${sfx}`, `weight_ih${sfx}`, wih, G, H, perm));
      slots.push(kernelSlot(`recurrent_kernel${sfx}`, `weight_hh${sfx}`, whh, G, H, perm));
      if (!spec.bias) continue;
      const bih = need(what, params, `bias_ih${sfx}`, [GH]);
      const bhh = need(what, params, `bias_hh${sfx}`, [GH]);
      const sources = [`bias_ih${sfx}`, `bias_hh${sfx}`];
      if (resetAfter) {
        slots.push({
          key: `bias${sfx}`,
          shape: [2, GH],
          sources,
          read: () => {
            const out = allocate(dtype, 2 * GH);
            permuteBlocks(bih.data, out, 0, perm, H, true);
            permuteBlocks(bhh.data, out, GH, perm, H, true);
            return out;
          },
          write: (v) => {
            permuteBlocks(v.subarray(0, GH), bih.data, 0, perm, H, false);
            permuteBlocks(v.subarray(GH), bhh.data, 0, perm, H, false);
          },
          shapeHint: (got) =>
            got.length === 1 && got[0] === GH
              ? 'a [3H] bias is Keras reset_after=False (Cho) form, but this GRU has resetAfter: true; build it with resetAfter: false'
              : null,
        });
      } else {
        slots.push({
          key: `bias${sfx}`,
          shape: [GH],
          sources,
          read: () => {
            const out = allocate(dtype, GH);
            for (let j = 0; j < GH; j++) out[j] = bih.data[j] + bhh.data[j];
            return permuted(out, perm, H);
          },
          write: (v) => {
            permuteBlocks(v, bih.data, 0, perm, H, false);
            bhh.data.fill(0);
          },
          shapeHint: (got) =>
            spec.kind === 'gru' && got.length === 2 && got[0] === 2 && got[1] === GH
              ? 'a [2, 3H] bias is Keras reset_after=True form, but this GRU has resetAfter: false; build it with resetAfter: true'
              : null,
        });
      }
    }
  }
  return slots;
}

/**
 * Copies blocks of H values: toKeras, dst block j (at dstOff) = src block perm[j];
 * otherwise dst block perm[j] = src block j.
 */
function permuteBlocks(
  src: ArrayLike<number>,
  dst: FloatArray,
  dstOff: number,
  perm: readonly number[],
  H: number,
  toKeras: boolean,
): void {
  perm.forEach((b, j) => {
    const [from, to] = toKeras ? [b, j] : [j, b];
    for (let r = 0; r < H; r++) dst[dstOff + to * H + r] = src[from * H + r];
  });
}

function permuted(src: FloatArray, perm: readonly number[], H: number): FloatArray {
  const out = allocate(src instanceof Float64Array ? 'float64' : 'float32', src.length);
  permuteBlocks(src, out, 0, perm, H, true);
  return out;
}

/** Keras kernel [I, G·H] from our weight [G·H, I]: transposed, Keras block j = our block perm[j]. */
function kernelSlot(key: string, source: string, w: Tensor, G: number, H: number, perm: readonly number[]): KerasSlot {
  const I = w.shape[1];
  const GH = G * H;
  return {
    key,
    shape: [I, GH],
    sources: [source],
    read: () => {
      const out = allocate(w.dtype, w.size);
      for (let j = 0; j < G; j++)
        for (let r = 0; r < H; r++) {
          const row = (perm[j] * H + r) * I;
          for (let c = 0; c < I; c++) out[c * GH + j * H + r] = w.data[row + c];
        }
      return out;
    },
    write: (v) => {
      for (let j = 0; j < G; j++)
        for (let r = 0; r < H; r++) {
          const row = (perm[j] * H + r) * I;
          for (let c = 0; c < I; c++) w.data[row + c] = v[c * GH + j * H + r];
        }
    },
  };
}

/** Dense: kernel [in, out] = weightᵀ, bias [out]. Leaves anything else unmapped. */
function denseSlots(params: Map<string, Tensor>): KerasSlot[] {
  const w = params.get('weight');
  const b = params.get('bias');
  if (!w || w.shape.length !== 2) return [];
  const out = w.shape[0];
  const slots = [kernelSlot('kernel', 'weight', w, 1, out, [0])];
  if (b && b.shape.length === 1 && b.shape[0] === out) {
    slots.push({ key: 'bias', shape: [out], sources: ['bias'], read: () => b.data, write: (v) => b.data.set(v) });
  }
  return slots;
}
