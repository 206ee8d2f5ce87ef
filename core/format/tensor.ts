/**
 * A tensor printed as PyTorch prints it (torch/_tensor_str.py, default options), so a notebook
 * reads like a PyTorch session and the two can be compared character for character:
 *
 *   tensor([[ 0.1234, -1.2000],
 *           [ 3.0000,  0.5000]])                       float32, the default dtype
 *   tensor([1., 2.])                                   every finite value an integer: "int mode"
 *   tensor([1.0000e-05, 5.0000e-01])                   max/min > 1000, max > 1e8 or min < 1e-4: scientific
 *   tensor([...], dtype=torch.float64)                 another dtype is named
 *   tensor([], size=(0, 3))                            empty, its shape named unless it is (0,)
 *
 * Layout: 4 digits (precision), one width for all elements (the widest formatted non-zero finite
 * value, right-aligned), lines of at most 80 columns, rows separated by "," and one newline per
 * axis left. Over 1000 elements (threshold) each axis longer than 6 shows its first and last 3
 * (edgeitems) around "...", and the width comes from the shown elements only.
 * Digits are rounded as Python's format() rounds them: the double's exact decimal value, ties to
 * even (JavaScript's toFixed rounds ties up: 1.03125 → "1.0313", Python → "1.0312").
 */
import type { Tensor } from '../tensor';

const PRECISION = 4;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const LINE_WIDTH = 80;

/** `str(t)` of the same tensor in PyTorch. */
export function formatTensor(t: Tensor): string {
  const prefix = 'tensor(';
  const indent = prefix.length;
  const suffixes: string[] = [];
  let body: string;
  if (t.size === 0) {
    if (t.shape.length !== 1) suffixes.push(`size=${pythonTuple(t.shape)}`);
    body = '[]';
  } else {
    const summarize = t.size > THRESHOLD;
    const formatter = new Formatter(summarize ? summarized(t.data, t.shape) : Array.from(t.data));
    body = nested(t.data, t.shape, 0, 0, indent, summarize, formatter);
  }
  if (t.dtype === 'float64') suffixes.push('dtype=torch.float64');
  return withSuffixes(prefix + body, suffixes, indent);
}

/** Python's str() of a tuple: (0,) and (0, 3). */
function pythonTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** Suffixes after ", ", or on a new line when the last line would pass 80 columns. */
function withSuffixes(text: string, suffixes: string[], indent: number): string {
  let out = text;
  let lastLine = text.length - text.lastIndexOf('\n') + 1; // as torch counts it
  for (const suffix of suffixes) {
    if (lastLine + suffix.length + 2 > LINE_WIDTH) {
      out += `,\n${' '.repeat(indent)}${suffix}`;
      lastLine = indent + suffix.length;
    } else {
      out += `, ${suffix}`;
      lastLine += suffix.length + 2;
    }
  }
  return `${out})`;
}

/** The elements a summarized print shows (the first and last EDGE_ITEMS of every long axis). */
function summarized(data: ArrayLike<number>, shape: readonly number[]): number[] {
  const out: number[] = [];
  const walk = (offset: number, axis: number) => {
    const n = shape[axis];
    const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const rows = n > 2 * EDGE_ITEMS ? [...range(0, EDGE_ITEMS), ...range(n - EDGE_ITEMS, n)] : range(0, n);
    for (const i of rows) {
      if (axis === shape.length - 1) out.push(data[offset + i]);
      else walk(offset + i * stride, axis + 1);
    }
  };
  if (shape.length === 0) return [data[0]];
  walk(0, 0);
  return out;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, k) => from + k);
}

/** The sub-tensor at `offset` from `axis` on, bracketed as torch nests it. */
function nested(
  data: ArrayLike<number>,
  shape: readonly number[],
  axis: number,
  offset: number,
  indent: number,
  summarize: boolean,
  formatter: Formatter,
): string {
  const dims = shape.length - axis;
  if (dims === 0) return formatter.format(data[offset]);
  const n = shape[axis];
  const long = summarize && n > 2 * EDGE_ITEMS;
  if (dims === 1) {
    const values = (from: number, to: number) => range(from, to).map((i) => formatter.format(data[offset + i]));
    const items = long ? [...values(0, EDGE_ITEMS), ' ...', ...values(n - EDGE_ITEMS, n)] : values(0, n);
    const perLine = Math.max(1, Math.floor((LINE_WIDTH - indent) / (formatter.width + 2)));
    const lines: string[] = [];
    for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
    return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
  }
  const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const slice = (i: number) => nested(data, shape, axis + 1, offset + i * stride, indent + 1, summarize, formatter);
  const slices = long
    ? [...range(0, EDGE_ITEMS).map(slice), '...', ...range(n - EDGE_ITEMS, n).map(slice)]
    : range(0, n).map(slice);
  return `[${slices.join(`,${'\n'.repeat(dims - 1)}${' '.repeat(indent + 1)}`)}]`;
}

/** torch's _Formatter: picks int, fixed or scientific mode and one width from the values shown. */
class Formatter {
  private intMode = true;
  private sciMode = false;
  width = 1;

  constructor(values: number[]) {
    const finite = values.filter((v) => Number.isFinite(v) && v !== 0);
    if (finite.length === 0) return;
    const magnitudes = finite.map(Math.abs);
    const max = Math.max(...magnitudes);
    const min = Math.min(...magnitudes);
    this.intMode = finite.every((v) => v === Math.ceil(v));
    this.sciMode = max / min > 1000 || max > 1e8 || (!this.intMode && min < 1e-4);
    for (const v of finite) {
      const text = this.sciMode ? scientific(v, PRECISION) : this.intMode ? `${fixed(v, 0)}.` : fixed(v, PRECISION);
      this.width = Math.max(this.width, text.length);
    }
  }

  format(v: number): string {
    let text: string;
    if (this.sciMode) text = scientific(v, PRECISION);
    else if (this.intMode) text = Number.isFinite(v) ? `${fixed(v, 0)}.` : special(v);
    else text = fixed(v, PRECISION);
    return text.padStart(this.width);
  }
}

function special(v: number): string {
  return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
}

/** Python's '{:.Nf}'.format(v). */
function fixed(v: number, digits: number): string {
  if (!Number.isFinite(v)) return special(v);
  const { sign, integer, scale } = scaledDecimal(v, digits);
  const text = integer.toString().padStart(digits + 1, '0');
  const point = text.length - scale;
  return sign + (digits > 0 ? `${text.slice(0, point)}.${text.slice(point)}` : text);
}

/** Python's '{:.Ne}'.format(v): one digit, the point, N digits, e±XX. */
function scientific(v: number, digits: number): string {
  if (!Number.isFinite(v)) return special(v);
  if (v === 0) return `${Object.is(v, -0) ? '-' : ''}0.${'0'.repeat(digits)}e+00`;
  let exponent = Math.floor(Math.log10(Math.abs(v)));
  // log10 can be off by one near powers of ten; the rounded mantissa decides.
  for (;;) {
    const { sign, integer } = scaledDecimal(v, digits - exponent);
    const text = integer.toString();
    if (text.length === digits + 2) {
      exponent += 1; // rounding carried into a new digit (9.99995 → 10.0000)
      continue;
    }
    if (text.length < digits + 1) {
      exponent -= 1;
      continue;
    }
    const e = Math.abs(exponent).toString().padStart(2, '0');
    return `${sign}${text[0]}.${text.slice(1)}e${exponent < 0 ? '-' : '+'}${e}`;
  }
}

/**
 * |v| · 10^digits rounded to an integer, ties to even, from the double's exact value
 * (m · 2^e, so the scaled value is the fraction m · 10^digits · 2^e computed in BigInt).
 */
function scaledDecimal(v: number, digits: number): { sign: string; integer: bigint; scale: number } {
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  const [mantissa, exponent] = decompose(Math.abs(v));
  let numerator = mantissa;
  let denominator = 1n;
  if (exponent >= 0) numerator <<= BigInt(exponent);
  else denominator <<= BigInt(-exponent);
  if (digits >= 0) numerator *= 10n ** BigInt(digits);
  else denominator *= 10n ** BigInt(-digits);
  let integer = numerator / denominator;
  const twice = (numerator % denominator) * 2n;
  if (twice > denominator || (twice === denominator && integer % 2n === 1n)) integer += 1n;
  return { sign, integer, scale: digits };
}

/** A finite double ≥ 0 as mantissa · 2^exponent, both integers. */
function decompose(v: number): [bigint, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  return biased === 0 ? [fraction, -1074] : [fraction | (1n << 52n), biased - 1075];
}
