/**
 * The notebook's variables, described for the variables view and `%whos`: every top-level name
 * a cell made (the worker's globals that were not there before the first cell), one short row
 * each. The only methods called are those a value offers to be described by: its
 * `[Symbol.for('debug.description')]()`, as the debugger calls it (a tensor's, a model's), and a
 * module's namedParameters() for its parameter count; beyond them util.inspect, and a getter is
 * never called, so describing a variable changes nothing.
 */
import { inspect } from 'node:util';
import { Tensor } from '../../core/index';
import { alignedText, DEBUG_DESCRIPTION, leadingValues } from '../../core/host';
import { tableHtml, thousands } from '../../plot/format/table';
import type { MimeBundle, VariableRow } from '../../protocol/kernel';

/** A value's line is cut here, with "…": the view shows one line per variable. */
const VALUE_CHARS = 120;

/**
 * The rows of `scope`'s own names that are not in `kernelNames`, sorted by name (as %whos
 * does). Accessors are listed without being called.
 */
export function describeVariables(scope: object, kernelNames: ReadonlySet<string>): VariableRow[] {
  const rows: VariableRow[] = [];
  for (const name of Object.getOwnPropertyNames(scope)) {
    if (kernelNames.has(name)) continue;
    const property = Object.getOwnPropertyDescriptor(scope, name)!;
    if (!('value' in property)) {
      rows.push({ name, type: 'accessor', size: '', value: '(a getter: not called)' });
      continue;
    }
    rows.push({ name, ...describeValue(property.value) });
  }
  return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Type, size and one short line for any value; a description that throws says so instead. */
function describeValue(value: unknown): Omit<VariableRow, 'name'> {
  const type = typeOf(value);
  try {
    return { type, size: sizeOf(value), value: shorten(shortValue(value)) };
  } catch (error) {
    return { type, size: '', value: `(could not be described: ${(error as Error)?.message ?? String(error)})` };
  }
}

/** typeof for primitives; 'class' or 'function'; otherwise the constructor's name ('Object' for none). */
function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'function')
    return /^class[\s{]/.test(Function.prototype.toString.call(value)) ? 'class' : 'function';
  if (typeof value !== 'object') return typeof value;
  try {
    const constructor = Object.getPrototypeOf(value)?.constructor as { name?: unknown } | undefined;
    return typeof constructor?.name === 'string' && constructor.name !== '' ? constructor.name : 'Object';
  } catch {
    return 'Object';
  }
}

/** A tensor's shape, a model's parameter count, a length, a size, a plain object's key count. */
function sizeOf(value: unknown): string {
  if (value instanceof Tensor) return `[${value.shape.join(', ')}]`;
  if (typeof value === 'string') return `${thousands(value.length)} chars`;
  if (typeof value !== 'object' || value === null) return '';
  const parameters = parameterCount(value);
  if (parameters !== null) return `${thousands(parameters)} params`;
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return thousands((value as ArrayLike<unknown>).length);
  if (value instanceof Map || value instanceof Set) return thousands(value.size);
  if (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)
    return `${thousands(Object.keys(value).length)} keys`;
  return '';
}

/** A module's (a model's, a layer's) number of parameters: the sum over namedParameters(). */
function parameterCount(value: object): number | null {
  const named = (value as { namedParameters?: unknown }).namedParameters;
  if (typeof named !== 'function') return null;
  const pairs = named.call(value) as unknown;
  if (!Array.isArray(pairs) || !pairs.every((p) => Array.isArray(p) && p[1] instanceof Tensor)) return null;
  return (pairs as [string, Tensor][]).reduce((sum, [, t]) => sum + t.size, 0);
}

/**
 * A tensor: its dtype and leading values (the shape is in Size); an object that describes
 * itself to the debugger: that description; a string: quoted; anything else: util.inspect on
 * one line, one level deep.
 */
function shortValue(value: unknown): string {
  if (value instanceof Tensor) return `${value.dtype} ${leadingValues(value.data)}`;
  if (typeof value === 'object' && value !== null) {
    const describe = (value as { [DEBUG_DESCRIPTION]?: unknown })[DEBUG_DESCRIPTION];
    if (typeof describe === 'function') return String(describe.call(value));
  }
  if (typeof value === 'string')
    return JSON.stringify(value.length > VALUE_CHARS ? value.slice(0, VALUE_CHARS) : value);
  if (isKeyed(value)) {
    const keys = Object.keys(value);
    if (keys.length > SHOWN_KEYS) return firstKeys(value, keys);
  }
  return inspect(value, { depth: 0, breakLength: Infinity, maxArrayLength: 8, maxStringLength: VALUE_CHARS });
}

/**
 * util.inspect shows every own key of an object (its maxArrayLength bounds arrays, maps and sets
 * only): a vocabulary of 50,000 keys would be walked on every refresh. Past this many, the first
 * ones and a count.
 */
const SHOWN_KEYS = 12;

function isKeyed(value: unknown): value is object {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !ArrayBuffer.isView(value) &&
    !(value instanceof Map) &&
    !(value instanceof Set)
  );
}

/** `Name { a: 1, b: [Object], c: [Getter], … 49988 more }`: getters are named, never called. */
function firstKeys(value: object, keys: string[]): string {
  const shown = keys.slice(0, SHOWN_KEYS).map((key) => {
    const property = Object.getOwnPropertyDescriptor(value, key);
    const text =
      property && 'value' in property
        ? inspect(property.value, { depth: -1, breakLength: Infinity, maxArrayLength: 4, maxStringLength: 24 })
        : '[Getter]';
    return `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)}: ${text}`;
  });
  const name = typeOf(value);
  return `${name === 'Object' ? '' : `${name} `}{ ${shown.join(', ')}, … ${keys.length - SHOWN_KEYS} more }`;
}

function shorten(line: string): string {
  const flat = line.replace(/\s*\n\s*/g, ' ');
  return flat.length > VALUE_CHARS ? `${flat.slice(0, VALUE_CHARS - 1)}…` : flat;
}

/**
 * What `%whos [types…]` shows: a table of the variables (only those whose type is one of
 * `types`, compared without case, when any are given), in HTML and as aligned text. With none
 * to show, one sentence saying so, as IPython's "Interactive namespace is empty".
 */
export function whosBundle(rows: readonly VariableRow[], types: readonly string[]): MimeBundle {
  const wanted = new Set(types.map((t) => t.toLowerCase()));
  const shown = wanted.size === 0 ? rows : rows.filter((r) => wanted.has(r.type.toLowerCase()));
  if (shown.length === 0) {
    const text =
      wanted.size === 0
        ? 'No variables yet: no cell has declared a top-level name.'
        : `No variables of type ${types.join(', ')}; the types here are ${[...new Set(rows.map((r) => r.type))].join(', ') || 'none'}.`;
    return { 'text/plain': text };
  }
  const columns = ['Variable', 'Type', 'Size', 'Value'];
  const cells = shown.map((r) => [r.name, r.type, r.size, r.value]);
  const title = `${shown.length} variable${shown.length === 1 ? '' : 's'}`;
  return { 'text/html': tableHtml(title, columns, cells), 'text/plain': alignedText([columns, ...cells], []) };
}
