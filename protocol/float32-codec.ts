/**
 * Large heatmap panels travel as base64 of little-endian float32 values: 4 bytes a value
 * (5.3 characters) instead of ~10 characters of JSON, and no parse of 1.5 M numbers. A
 * float32 model's values arrive exactly. Written out here (no Buffer, no atob) so the worker,
 * the SVG fallback, the renderer and the payload validator share one codec: the one place that
 * knows the encoding.
 */

// Node and every browser have TextDecoder; the ES2022 library this pure module compiles with does not declare it.
declare const TextDecoder: new (label: string) => { decode(bytes: Uint8Array): string };
const ASCII = new TextDecoder('latin1');

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const INDEX = new Uint8Array(128);
const CODES = new Uint8Array(64);
for (let k = 0; k < 64; k++) {
  INDEX[ALPHABET.charCodeAt(k)] = k;
  CODES[k] = ALPHABET.charCodeAt(k);
}

/** Panels with more values than this are encoded (smaller ones stay readable JSON lists). */
export const F32_THRESHOLD = 10_000;

/** Little-endian machines (all that run VS Code) can take a Float32Array's bytes as they are. */
const LITTLE_ENDIAN = new Uint8Array(Float32Array.of(1).buffer)[3] === 0x3f;

function float32Bytes(values: ArrayLike<number>): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(Float32Array.from(values).buffer);
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let k = 0; k < values.length; k++) view.setFloat32(4 * k, values[k], true);
  return bytes;
}

export function encodeF32(values: ArrayLike<number>): string {
  const bytes = float32Bytes(values);
  // ASCII codes first, then one decode into a string (String.fromCharCode is 15× slower).
  const codes = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  const whole = bytes.length - (bytes.length % 3);
  let j = 0;
  for (let i = 0; i < whole; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    codes[j++] = CODES[n >> 18];
    codes[j++] = CODES[(n >> 12) & 63];
    codes[j++] = CODES[(n >> 6) & 63];
    codes[j++] = CODES[n & 63];
  }
  if (whole < bytes.length) {
    // One or two bytes left: pad with '=' (61).
    const two = whole + 1 < bytes.length;
    const n = (bytes[whole] << 16) | (two ? bytes[whole + 1] << 8 : 0);
    codes[j++] = CODES[n >> 18];
    codes[j++] = CODES[(n >> 12) & 63];
    codes[j++] = two ? CODES[(n >> 6) & 63] : 61;
    codes[j] = 61;
  }
  return ASCII.decode(codes);
}

/** Whether `text` is base64 as encodeF32 writes it: whole 4-character groups of the alphabet, '=' padding. */
export function isBase64(text: string): boolean {
  return text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text);
}

/** How many bytes base64 `text` (isBase64) holds: 3 a group, less the padding. */
export function base64ByteLength(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}

/** The values of a base64 float32 string (validatePayload has checked it is base64 of the right length). */
export function decodeF32(text: string): Float32Array {
  const bytes = new Uint8Array(base64ByteLength(text));
  let j = 0;
  for (let i = 0; i < text.length; i += 4) {
    const n =
      (INDEX[text.charCodeAt(i)] << 18) |
      (INDEX[text.charCodeAt(i + 1)] << 12) |
      (INDEX[text.charCodeAt(i + 2)] << 6) |
      INDEX[text.charCodeAt(i + 3)];
    if (j < bytes.length) bytes[j++] = n >> 16;
    if (j < bytes.length) bytes[j++] = (n >> 8) & 255;
    if (j < bytes.length) bytes[j++] = n & 255;
  }
  const view = new DataView(bytes.buffer);
  const values = new Float32Array(bytes.length / 4);
  for (let k = 0; k < values.length; k++) values[k] = view.getFloat32(4 * k, true);
  return values;
}
