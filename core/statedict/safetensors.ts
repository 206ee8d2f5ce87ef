/**
 * safetensors (Hugging Face's weight format, what PyTorch projects save checkpoints in), read and
 * written here with no dependency. The format:
 *
 *   [8 bytes]  N, the header's length: unsigned 64-bit little-endian
 *   [N bytes]  the header: UTF-8 JSON { name: { dtype, shape, data_offsets: [begin, end] }, …,
 *              "__metadata__"?: { string: string } }; writers pad it with spaces to a multiple of 8
 *   [rest]     the data: each tensor's elements row-major, little-endian, at [begin, end) of this
 *              buffer; the tensors tile it exactly, with no gap and no overlap
 *
 * Floating tensors load: F64 as float64, F32 as float32, and F16 / BF16 widened (exactly) to
 * float32. Writing keeps each tensor's dtype (F32 or F64).
 */
import { LstmError, describe } from '../errors';
import { Tensor, formatShape } from '../tensor';

// UTF-8 for the header: Web APIs every host of the core has (Node, browsers, workers), declared
// here because core's tsconfig leaves out the DOM and Node types.
declare const TextEncoder: { new (): { encode(text: string): Uint8Array } };
declare const TextDecoder: {
  new (label: 'utf-8', options: { fatal: boolean }): { decode(bytes: Uint8Array): string };
};

/** A parsed file: its tensors by name, and the free-form string metadata. */
export interface Safetensors {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

/** Bytes per element of the dtypes that load as tensors. */
const FLOAT_DTYPES: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2 };
/** Every dtype of the format, so another one is named as such rather than as garbage. */
const OTHER_DTYPES = ['BOOL', 'U8', 'I8', 'U16', 'I16', 'U32', 'I32', 'U64', 'I64', 'F8_E4M3', 'F8_E5M2'];
/** The reference implementation refuses headers over 100 MB; so do we. */
const MAX_HEADER_BYTES = 100_000_000;

/**
 * Reads a safetensors file. Everything is checked: the header's length and JSON, each entry's
 * dtype, shape and offsets against its size, and that the tensors tile the data exactly.
 * @example const { tensors } = decodeSafetensors(readFileSync('model.safetensors'));
 * @throws {LstmError} naming what was expected and what the file has.
 */
export function decodeSafetensors(bytes: Uint8Array): Safetensors {
  const what = 'loadSafetensors';
  if (!(bytes instanceof Uint8Array))
    throw new LstmError(`${what}: expected the file's bytes (a Uint8Array or Buffer), got ${describe(bytes)}`);
  if (bytes.length < 8)
    throw new LstmError(`${what}: expected at least 8 bytes (the header's length), got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > MAX_HEADER_BYTES || 8 + headerLength > bytes.length)
    throw new LstmError(
      `${what}: the header claims ${headerLength} bytes, but the file has ${bytes.length - 8} after its length field`,
    );
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (error) {
    throw new LstmError(`${what}: the header is not UTF-8 JSON (${(error as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new LstmError(`${what}: expected the header to be a JSON object, got ${describe(header)}`);

  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const metadata = readMetadata(what, (header as Record<string, unknown>).__metadata__);
  const entries = Object.entries(header as Record<string, unknown>)
    .filter(([name]) => name !== '__metadata__')
    .map(([name, entry]) => readEntry(what, name, entry, dataLength));
  // The tensors tile the data: sorted by offset, each begins where the previous ended.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const entry of sorted) {
    if (entry.begin !== covered)
      throw new LstmError(
        `${what}: tensor '${entry.name}' begins at byte ${entry.begin} of the data, expected ${covered} (tensors must tile the data with no gap or overlap)`,
      );
    covered = entry.end;
  }
  if (covered !== dataLength)
    throw new LstmError(`${what}: the tensors cover ${covered} bytes of data, but the file has ${dataLength}`);

  const tensors: Record<string, Tensor> = {};
  for (const entry of entries) {
    const at = dataStart + entry.begin;
    tensors[entry.name] = new Tensor(readValues(entry.dtype, view, at, entry.count), entry.shape);
  }
  return { tensors, metadata };
}

/**
 * Writes tensors as a safetensors file, in the order given; float64 tensors stay F64. Names
 * must be non-empty and not `__metadata__`; metadata values must be strings.
 * @example writeFileSync('weights.safetensors', encodeSafetensors({ w: Tensor.zeros([2, 3]) }));
 * @throws {LstmError} for a value that is not a tensor, a reserved or empty name, or metadata
 * that is not string to string.
 */
export function encodeSafetensors(tensors: Record<string, Tensor>, metadata: Record<string, string> = {}): Uint8Array {
  const what = 'saveSafetensors';
  if (typeof tensors !== 'object' || tensors === null)
    throw new LstmError(`${what}: expected an object of named tensors, got ${describe(tensors)}`);
  readMetadata(what, metadata);
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  const placed: { tensor: Tensor; begin: number }[] = [];
  for (const [name, tensor] of Object.entries(tensors)) {
    if (name === '' || name === '__metadata__')
      throw new LstmError(`${what}: a tensor cannot be named ${describe(name)}`);
    if (!(tensor instanceof Tensor))
      throw new LstmError(`${what}: expected '${name}' to be a Tensor, got ${describe(tensor)}`);
    const bytes = tensor.size * (tensor.dtype === 'float64' ? 8 : 4);
    header[name] = {
      dtype: tensor.dtype === 'float64' ? 'F64' : 'F32',
      shape: [...tensor.shape],
      data_offsets: [offset, offset + bytes],
    };
    placed.push({ tensor, begin: offset });
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  // Padded with spaces to a multiple of 8, as the reference writer does, so the data is aligned.
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  const dataStart = 8 + headerLength;
  for (const { tensor, begin } of placed) {
    const at = dataStart + begin;
    const wide = tensor.dtype === 'float64';
    for (let i = 0; i < tensor.size; i++) {
      if (wide) view.setFloat64(at + 8 * i, tensor.data[i], true);
      else view.setFloat32(at + 4 * i, tensor.data[i], true);
    }
  }
  return out;
}

interface Entry {
  name: string;
  dtype: string;
  shape: number[];
  count: number;
  begin: number;
  end: number;
}

function readEntry(what: string, name: string, entry: unknown, dataLength: number): Entry {
  const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
  if (typeof e !== 'object' || e === null)
    throw new LstmError(`${what}: expected tensor '${name}' to be { dtype, shape, data_offsets }, got ${describe(e)}`);
  const dtype = e.dtype;
  if (typeof dtype !== 'string' || !(dtype in FLOAT_DTYPES)) {
    const known = typeof dtype === 'string' && OTHER_DTYPES.includes(dtype);
    throw new LstmError(
      `${what}: tensor '${name}' is ${describe(dtype)}${known ? ', not a floating type' : ''}: expected F64, F32, F16 or BF16`,
    );
  }
  const shape = e.shape;
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0))
    throw new LstmError(
      `${what}: tensor '${name}' has shape ${describe(shape)}: expected an array of non-negative integers`,
    );
  const offsets = e.data_offsets;
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    offsets.some((o) => !Number.isInteger(o) || o < 0) ||
    offsets[0] > offsets[1] ||
    offsets[1] > dataLength
  )
    throw new LstmError(
      `${what}: tensor '${name}' has data_offsets ${describe(offsets)}: expected [begin, end] within the ${dataLength} bytes of data`,
    );
  const count = (shape as number[]).reduce((a, b) => a * b, 1);
  const [begin, end] = offsets as number[];
  if (end - begin !== count * FLOAT_DTYPES[dtype])
    throw new LstmError(
      `${what}: tensor '${name}' (${dtype}, shape ${formatShape(shape as number[])}) needs ${count * FLOAT_DTYPES[dtype]} bytes, its offsets span ${end - begin}`,
    );
  return { name, dtype, shape: shape as number[], count, begin, end };
}

function readMetadata(what: string, metadata: unknown): Record<string, string> {
  if (metadata === undefined) return {};
  if (
    typeof metadata !== 'object' ||
    metadata === null ||
    Array.isArray(metadata) ||
    Object.values(metadata).some((v) => typeof v !== 'string')
  )
    throw new LstmError(`${what}: expected __metadata__ to map strings to strings, got ${describe(metadata)}`);
  return { ...(metadata as Record<string, string>) };
}

/** The `count` elements at byte `at`, little-endian, as float64 (F64) or float32 values. */
function readValues(dtype: string, view: DataView, at: number, count: number): Float32Array | Float64Array {
  if (dtype === 'F64') {
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getFloat64(at + 8 * i, true);
    return out;
  }
  const out = new Float32Array(count);
  if (dtype === 'F32') for (let i = 0; i < count; i++) out[i] = view.getFloat32(at + 4 * i, true);
  else if (dtype === 'F16') for (let i = 0; i < count; i++) out[i] = halfToNumber(view.getUint16(at + 2 * i, true));
  // bfloat16 is the top half of a float32: put its bits there.
  else for (let i = 0; i < count; i++) out[i] = bfloat16ToNumber(view.getUint16(at + 2 * i, true));
  return out;
}

/**
 * IEEE 754 binary16: sign s, exponent e (5 bits, bias 15), fraction f (10 bits).
 *   e = 0: (−1)^s · 2^−14 · f/1024 (subnormal);  e = 31: ±∞ or NaN;  else (−1)^s · 2^(e−15) · (1 + f/1024)
 */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? Number.NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

const widen = new DataView(new ArrayBuffer(4));
function bfloat16ToNumber(bits: number): number {
  widen.setUint32(0, bits << 16);
  return widen.getFloat32(0);
}
