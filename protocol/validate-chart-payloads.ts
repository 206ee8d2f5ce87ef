/**
 * The renderer's guard: why `data` is not a drawable chart payload of `mime`, or null when it
 * is. It never throws, and each verdict names the field, what was expected and what was given
 * (a data string is quoted with JSON.stringify; the renderer shows it as text). Everything a
 * spec builder reads is checked here, so an accepted payload draws (the unit tests mutate
 * every field of real payloads to hold it to that).
 */
import { CHART_MIME_TYPES, MIME, SCHEMA_VERSION, type ChartKind } from './chart-payloads';
import { base64ByteLength, isBase64 } from './float32-codec';

type Verdict = string | null;
type Obj = Record<string, unknown>;

/** What a value is, for messages: short, and data strings quoted and cut. */
function given(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'object') return 'an object';
  return String(v);
}

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function object(path: string, v: unknown): Verdict {
  return isObject(v) ? null : `expected ${path} to be an object, got ${given(v)}`;
}

function string(path: string, v: unknown): Verdict {
  return typeof v === 'string' ? null : `expected ${path} to be a string, got ${given(v)}`;
}

function integer(path: string, v: unknown, min: number): Verdict {
  return Number.isInteger(v) && (v as number) >= min
    ? null
    : `expected ${path} to be an integer ≥ ${min}, got ${given(v)}`;
}

/** A list of numbers (null stands for NaN, which JSON cannot write), of `length` when given. */
function numbers(path: string, v: unknown, length?: number): Verdict {
  if (!Array.isArray(v)) return `expected ${path} to be a list of numbers, got ${given(v)}`;
  if (length !== undefined && v.length !== length) return `expected ${path} to have ${length} numbers, got ${v.length}`;
  for (let i = 0; i < v.length; i++)
    if (typeof v[i] !== 'number' && v[i] !== null) return `expected ${path}[${i}] to be a number, got ${given(v[i])}`;
  return null;
}

function strings(path: string, v: unknown, length?: number): Verdict {
  if (!Array.isArray(v)) return `expected ${path} to be a list of strings, got ${given(v)}`;
  if (length !== undefined && v.length !== length) return `expected ${path} to have ${length} strings, got ${v.length}`;
  for (let i = 0; i < v.length; i++)
    if (typeof v[i] !== 'string') return `expected ${path}[${i}] to be a string, got ${given(v[i])}`;
  return null;
}

/** `count` float32 values as base64 (large heatmap panels). */
function float32s(path: string, text: string, count: number): Verdict {
  if (!isBase64(text))
    return `expected ${path} to be a list of numbers or base64 float32 data, got a string that is not base64 (${text.length} characters)`;
  const bytes = base64ByteLength(text);
  return bytes === 4 * count
    ? null
    : `expected ${path} to hold ${count} float32 numbers (${4 * count} bytes), got ${bytes} bytes`;
}

/** A [lo, hi] colour range: finite, lo < hi. */
function range(path: string, v: unknown): Verdict {
  const e = numbers(path, v, 2);
  if (e) return e;
  const [lo, hi] = v as number[];
  return Number.isFinite(lo) && Number.isFinite(hi) && lo < hi
    ? null
    : `expected ${path} to be [low, high] with low < high, got ${JSON.stringify(v)}`;
}

/** The first problem of a list of checks (each runs only if the ones before passed). */
function first(...checks: Array<() => Verdict>): Verdict {
  for (const check of checks) {
    const e = check();
    if (e) return e;
  }
  return null;
}

function each(
  path: string,
  v: unknown,
  check: (path: string, item: unknown) => Verdict,
  options: { nonEmpty?: boolean } = {},
): Verdict {
  if (!Array.isArray(v)) return `expected ${path} to be a list, got ${given(v)}`;
  if (options.nonEmpty && v.length === 0) return `expected ${path} to be a non-empty list`;
  for (let i = 0; i < v.length; i++) {
    const e = check(`${path}[${i}]`, v[i]);
    if (e) return e;
  }
  return null;
}

/** Where a chart's values come from in a trace (optional): layer, direction, sample. */
function traceSource(source: unknown): Verdict {
  if (source === undefined) return null;
  return first(
    () => object('source', source),
    () => integer('source.layer', (source as Obj).layer, 0),
    () => integer('source.sample', (source as Obj).sample, 0),
    () =>
      (source as Obj).direction === 'forward' || (source as Obj).direction === 'reverse'
        ? null
        : `expected source.direction to be "forward" or "reverse", got ${given((source as Obj).direction)}`,
  );
}

/** [T, H] values: a JSON list, or base64 float32 for large ones. */
function grid(path: string, values: unknown, count: number): Verdict {
  return typeof values === 'string' ? float32s(path, values, count) : numbers(path, values, count);
}

function gates(p: Obj): Verdict {
  const { steps, units, tokens, panels, axes, source } = p;
  return first(
    () => integer('steps', steps, 1),
    () => integer('units', units, 1),
    () =>
      axes === undefined
        ? null
        : first(
            () => object('axes', axes),
            () => string('axes.x', (axes as Obj).x),
            () => string('axes.y', (axes as Obj).y),
          ),
    () => (tokens === undefined ? null : strings('tokens', tokens, steps as number)),
    () => traceSource(source),
    () =>
      each(
        'panels',
        panels,
        (at, panel) =>
          first(
            () => object(at, panel),
            () => string(`${at}.name`, (panel as Obj).name),
            () => string(`${at}.label`, (panel as Obj).label),
            () => range(`${at}.range`, (panel as Obj).range),
            () => grid(`${at}.values`, (panel as Obj).values, (steps as number) * (units as number)),
          ),
        { nonEmpty: true },
      ),
  );
}

function states(p: Obj): Verdict {
  const { steps, units, h, c, pca } = p;
  const rows = (name: string, v: unknown) =>
    first(
      () =>
        Array.isArray(v) && v.length === (units as unknown[]).length
          ? null
          : `expected ${name} to be a list of ${(units as unknown[]).length} rows (one per unit), got ${given(v)}`,
      () => each(name, v, (at, row) => numbers(at, row, steps as number)),
    );
  return first(
    () => integer('steps', steps, 1),
    () => each('units', units, (at, u) => integer(at, u, 0), { nonEmpty: true }),
    () => rows('h', h),
    () => (c === undefined ? null : rows('c', c)),
    () =>
      pca === undefined
        ? null
        : first(
            () => object('pca', pca),
            () => numbers('pca.x', (pca as Obj).x, steps as number),
            () => numbers('pca.y', (pca as Obj).y, steps as number),
            () => numbers('pca.explained', (pca as Obj).explained, 2),
          ),
  );
}

function series(s: unknown, at: string, extra?: (s: Obj) => Verdict): Verdict {
  return first(
    () => object(at, s),
    () => string(`${at}.name`, (s as Obj).name),
    () => numbers(`${at}.x`, (s as Obj).x),
    () => numbers(`${at}.y`, (s as Obj).y, ((s as Obj).x as unknown[]).length),
    () => (extra ? extra(s as Obj) : null),
  );
}

function loss(p: Obj): Verdict {
  const { smoothing, logScale, xTitle, yTitle } = p;
  return first(
    () => each('series', p.series, (at, s) => series(s, at)),
    () => (typeof logScale === 'boolean' ? null : `expected logScale to be true or false, got ${given(logScale)}`),
    () =>
      typeof smoothing === 'number' && smoothing >= 0 && smoothing < 1
        ? null
        : `expected smoothing to be a number in [0, 1), got ${given(smoothing)}`,
    () => (xTitle === undefined ? null : string('xTitle', xTitle)),
    () => (yTitle === undefined ? null : string('yTitle', yTitle)),
  );
}

function gradients(p: Obj): Verdict {
  return each('series', p.series, (at, s) =>
    series(s, at, (x) =>
      first(
        () => string(`${at}.run`, x.run),
        () =>
          x.quantity === 'h' || x.quantity === 'c'
            ? null
            : `expected ${at}.quantity to be "h" or "c", got ${given(x.quantity)}`,
      ),
    ),
  );
}

function saturation(p: Obj): Verdict {
  const points = p.points as Obj;
  return first(
    () => object('points', points),
    () => numbers('points.unit', points.unit),
    () => numbers('points.layer', points.layer, (points.unit as unknown[]).length),
    () => strings('points.gate', points.gate, (points.unit as unknown[]).length),
    () => numbers('points.left', points.left, (points.unit as unknown[]).length),
    () => numbers('points.right', points.right, (points.unit as unknown[]).length),
    () => threshold('low', p.low),
    () => threshold('high', p.high),
    () =>
      typeof p.low === 'number' && typeof p.high === 'number' && !(p.low < p.high)
        ? `expected "low" below "high", got ${p.low} and ${p.high}`
        : null,
  );
}

/** An optional saturation threshold: absent, or a number in [0, 1]. */
function threshold(key: string, v: unknown): Verdict {
  return v === undefined || (typeof v === 'number' && v >= 0 && v <= 1)
    ? null
    : `expected "${key}" to be a threshold in [0, 1], got ${given(v)}`;
}

function box(p: Obj): Verdict {
  const { logScale, valueTitle } = p;
  return first(
    () =>
      each(
        'groups',
        p.groups,
        (at, g) =>
          first(
            () => object(at, g),
            () => string(`${at}.name`, (g as Obj).name),
            () => numbers(`${at}.values`, (g as Obj).values),
            () =>
              (g as Obj).labels === undefined
                ? null
                : strings(`${at}.labels`, (g as Obj).labels, ((g as Obj).values as unknown[]).length),
            () => (logScale === true ? positive(`${at}.values`, (g as Obj).values as unknown[]) : null),
          ),
        { nonEmpty: true },
      ),
    () => string('valueTitle', valueTitle),
    () => (typeof logScale === 'boolean' ? null : `expected logScale to be true or false, got ${given(logScale)}`),
  );
}

/** A log scale cannot place 0, a negative number or a missing value (null). */
function positive(path: string, values: unknown[]): Verdict {
  const k = values.findIndex((v) => !((v as number) > 0));
  return k < 0 ? null : `expected ${path}[${k}] to be above 0 on a log scale, got ${given(values[k])}`;
}

function text(p: Obj): Verdict {
  const { tokens, units, name, label, values, shown, source } = p;
  return first(
    () => strings('tokens', tokens),
    () => ((tokens as string[]).length ? null : 'expected tokens to be a non-empty list'),
    () => integer('units', units, 1),
    () => string('name', name),
    () => string('label', label),
    () => range('range', p.range),
    () => grid('values', values, (tokens as string[]).length * (units as number)),
    () =>
      each('shown', shown, (at, u) =>
        Number.isInteger(u) && (u as number) >= 0 && (u as number) < (units as number)
          ? null
          : `expected ${at} to be a unit in [0, ${(units as number) - 1}], got ${given(u)}`,
      ),
    () => traceSource(source),
  );
}

const CHECKS: { [K in ChartKind]: (p: Obj) => Verdict } = { gates, states, loss, gradients, saturation, box, text };

export function validatePayload(mime: string, data: unknown): Verdict {
  try {
    const kind = (Object.keys(MIME) as ChartKind[]).find((k) => MIME[k] === mime);
    if (!kind) return `unknown MIME type ${JSON.stringify(mime)}; expected one of ${CHART_MIME_TYPES.join(', ')}`;
    if (!isObject(data))
      return `expected a JSON object, got ${Array.isArray(data) ? 'a list' : data === null ? 'null' : typeof data}`;
    const version = data.version;
    if (!Number.isInteger(version) || (version as number) < 1)
      return `expected "version" to be a schema version (an integer ≥ 1), got ${given(version)}`;
    if ((version as number) > SCHEMA_VERSION)
      return `this output was made by a newer LSTM Notebook (schema version ${version}); this renderer reads version ${SCHEMA_VERSION}. Update the extension or re-run the cell.`;
    if (data.kind !== kind)
      return `expected "kind": ${JSON.stringify(kind)}, got ${JSON.stringify(data.kind) ?? 'nothing'}`;
    return string('title', data.title) ?? CHECKS[kind](data);
  } catch (error) {
    // A guard must not throw (a getter, a cyclic value from a caller other than JSON…) — not
    // even when what was thrown is null or has a throwing getter of its own.
    let reason = 'an unreadable error';
    try {
      reason = String((error as { message?: unknown } | null)?.message ?? error);
    } catch {
      // keep the generic reason
    }
    return `expected a chart payload; checking it failed: ${reason}`;
  }
}
