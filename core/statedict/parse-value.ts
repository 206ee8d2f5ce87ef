/**
 * Reading one state-dict value without trusting it: nested arrays (what PyTorch's
 * `{k: v.tolist()}` gives), `{ shape, data }` with a flat `data` (a Tensor qualifies), or a
 * flat typed array. Problems come back as a sentence, not an exception, so that an import can
 * report every bad key at once.
 */
import { describe } from '../errors';
import { shapeSize } from '../tensor';

export interface ParsedValue {
  shape: number[];
  data: Float64Array;
}

/** The value as a shape and flat row-major data, or a sentence saying what is wrong with it. */
export function parseValue(v: unknown): ParsedValue | string {
  if (typeof v === 'number' || Array.isArray(v)) return parseNested(v);
  if (isFlatArray(v)) return parseFlat(v, [v.length], 'index');
  if (v !== null && typeof v === 'object' && 'shape' in v && 'data' in v) {
    const { shape, data } = v as { shape: unknown; data: unknown };
    if (!Array.isArray(shape) || shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0)) {
      return `"shape" expected an array of non-negative integers, got ${describe(shape)}`;
    }
    if (!isFlatArray(data) || (Array.isArray(data) && data.some((x) => Array.isArray(x)))) {
      return `"data" expected a flat array of numbers (row-major), got ${describe(data)}`;
    }
    if (data.length !== shapeSize(shape)) {
      return `"data" has ${data.length} values, but "shape" [${shape.join(', ')}] needs ${shapeSize(shape)}`;
    }
    return parseFlat(data, shape, 'data');
  }
  return `expected nested arrays of numbers or { "shape": [...], "data": [...] }, got ${describe(v)}`;
}

function isFlatArray(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/** Why `x` is not a usable number, or null when it is. */
function badNumber(x: unknown): string | null {
  if (typeof x !== 'number') return `expected a number, got ${describe(x)}`;
  if (!Number.isFinite(x)) return `expected a finite number, got ${x}`;
  return null;
}

function parseFlat(values: ArrayLike<unknown>, shape: number[], what: 'index' | 'data'): ParsedValue | string {
  const data = new Float64Array(values.length);
  for (let k = 0; k < values.length; k++) {
    const bad = badNumber(values[k]);
    if (bad) return what === 'data' ? `data[${k}]: ${bad}` : `index [${k}]: ${bad}`;
    data[k] = values[k] as number;
  }
  return { shape, data };
}

function parseNested(v: unknown): ParsedValue | string {
  // The shape is read off the first element at every depth; every other element must agree.
  const shape: number[] = [];
  for (let probe: unknown = v; Array.isArray(probe); probe = probe[0]) {
    shape.push(probe.length);
    if (probe.length === 0) break;
  }
  const data = new Float64Array(shapeSize(shape));
  const path: number[] = [];
  let k = 0;
  const failure = { problem: '' };
  const where = (): string => `index [${path.join(', ')}]`;
  const walk = (x: unknown, depth: number): boolean => {
    if (depth === shape.length) {
      if (Array.isArray(x)) {
        failure.problem = `ragged nested array at ${where()}: expected a number, got an array of length ${x.length}`;
        return false;
      }
      const bad = badNumber(x);
      if (bad) {
        failure.problem = `${bad} at ${where()}`;
        return false;
      }
      data[k++] = x as number;
      return true;
    }
    if (!Array.isArray(x) || x.length !== shape[depth]) {
      failure.problem = `ragged nested array at ${where()}: expected an array of length ${shape[depth]}, got ${describe(x)}`;
      return false;
    }
    for (let i = 0; i < x.length; i++) {
      path.push(i);
      const ok = walk(x[i], depth + 1);
      path.pop();
      if (!ok) return false;
    }
    return true;
  };
  return walk(v, 0) ? { shape, data } : failure.problem;
}
