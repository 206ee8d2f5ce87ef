/**
 * Errors raised by the core. Every message names what was expected and what was given,
 * because a notebook user sees only the message, never our stack.
 */
/**
 * The error the core throws for input it refuses. Its message names what was expected and what
 * was given (`LSTM: inputSize: expected an integer ≥ 1, got 0`): a notebook user sees only that.
 */
export class LstmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LstmError';
  }
}

/** Renders a value for an error message: shapes as [a, b], strings quoted, others as-is. */
export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) {
    const shown = value.slice(0, 8).map(describe).join(', ');
    return `[${shown}${value.length > 8 ? ', …' : ''}]`;
  }
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    if (name && name !== 'Object') return `a ${name}`;
    return `an object with keys ${describe(Object.keys(value as object))}`;
  }
  return typeof value;
}

/** Throws unless `n` is an integer within [min, max]. */
export function checkInt(what: string, n: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
    throw new LstmError(`${what}: expected ${range}, got ${describe(n)}`);
  }
  return n;
}

/** Throws unless `x` is a finite number within [min, max]. */
export function checkNumber(what: string, x: unknown, min = -Infinity, max = Infinity): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < min || x > max) {
    const range = min === -Infinity && max === Infinity ? 'a finite number' : `a number in [${min}, ${max}]`;
    throw new LstmError(`${what}: expected ${range}, got ${describe(x)}`);
  }
  return x;
}

/** Throws when an options object carries a key we do not know: a typo must not be silently ignored. */
export function checkKeys(what: string, options: object | undefined, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new LstmError(`${what}: expected an options object, got ${describe(options)}`);
  }
  const unknown = Object.keys(options).filter(
    (k) => !known.includes(k) && (options as Record<string, unknown>)[k] !== undefined,
  );
  if (unknown.length > 0) {
    throw new LstmError(
      `${what}: unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}; expected one of ${known.join(', ')}`,
    );
  }
}
