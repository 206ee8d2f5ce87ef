/**
 * NumPy's .npy format (version 1.0), the way a PyTorch project reads arrays (`numpy.load`):
 *   "\x93NUMPY" 1 0, a little-endian uint16 header length, then a Python dict literal
 *   {'descr': '<f4', 'fortran_order': False, 'shape': (N, T, I), } padded with spaces and a
 *   final newline so that the data starts at a multiple of 64 bytes; then the data, C order.
 */

/** A float32 ('<f4') or int64 ('<i8', class indices) array of `shape`, as .npy bytes. */
export function npyBytes(values: ArrayLike<number>, shape: readonly number[], kind: 'float32' | 'int64'): Uint8Array {
  const descr = kind === 'float32' ? '<f4' : '<i8';
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${dims}, }`;
  const prefix = 10; // magic (6) + version (2) + header length (2)
  header += ' '.repeat(64 - ((prefix + header.length + 1) % 64 || 64)) + '\n';
  const width = kind === 'float32' ? 4 : 8;
  const out = new Uint8Array(prefix + header.length + values.length * width);
  out.set([0x93, ...'NUMPY'.split('').map((c) => c.charCodeAt(0)), 1, 0]);
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  const at = prefix + header.length;
  for (let i = 0; i < values.length; i++) {
    if (kind === 'float32') view.setFloat32(at + 4 * i, values[i], true);
    else view.setBigInt64(at + 8 * i, BigInt(Math.round(values[i])), true);
  }
  return out;
}
