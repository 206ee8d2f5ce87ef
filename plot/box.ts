/**
 * The box plot's payload (plot.box): a sweep's test losses per variant, best first, each value
 * labelled with its seed; or named lists of numbers of your own.
 */
import { checkKeys, describe } from '../core/host';
import { LstmError, SweepResults } from '../core/index';
import { SCHEMA_VERSION, type BoxPayload } from '../protocol/chart-payloads';

export interface BoxOptions {
  title?: string;
  /** Default: a log scale when every value is above 0 and they span two decades or more. */
  logScale?: boolean;
  /** The value axis' title. Default "test loss" for a sweep, "value" otherwise. */
  valueTitle?: string;
}

/** source: sweep() results, `{ name: number[] }`, or a list of `{ name, values }`. */
export function boxPayload(source: unknown, options: BoxOptions = {}): BoxPayload {
  const what = 'plot.box';
  checkKeys(what, options, ['title', 'logScale', 'valueTitle']);
  if (options.logScale !== undefined && typeof options.logScale !== 'boolean')
    throw new LstmError(`${what}: logScale expected true or false, got ${describe(options.logScale)}`);
  const fromSweep = source instanceof SweepResults;
  const groups = fromSweep ? sweepGroups(source) : namedGroups(what, source);
  if (groups.length === 0) throw new LstmError(`${what}: expected sweep() results with at least one run, got none yet`);
  const all = groups.flatMap((g) => g.values);
  const positive = all.length > 0 && all.every((v) => v > 0);
  if (options.logScale && !positive)
    throw new LstmError(
      `${what}: logScale needs values above 0, got ${describe(all.find((v) => !(v > 0)))}; use logScale: false`,
    );
  const logScale = options.logScale ?? (positive && Math.max(...all) / Math.min(...all) >= 100);
  return {
    kind: 'box',
    version: SCHEMA_VERSION,
    title:
      options.title ??
      (fromSweep
        ? `Test loss per variant over ${source.seeds.length} seed${source.seeds.length === 1 ? '' : 's'} (${source.steps} steps each), best median first`
        : 'Box plot'),
    groups,
    valueTitle: options.valueTitle ?? (fromSweep ? `test loss${source.loss ? ` (${source.loss})` : ''}` : 'value'),
    logScale,
  };
}

/** Ranked variants with their runs (variants that have not run yet are left out). */
function sweepGroups(r: SweepResults): BoxPayload['groups'] {
  return r.variants
    .filter((v) => v.runs.length > 0)
    .map((v) => ({
      name: v.name,
      values: v.runs.map((run) => run.testLoss),
      labels: v.runs.map((run) => `seed ${run.seed}`),
    }));
}

function namedGroups(what: string, source: unknown): BoxPayload['groups'] {
  const expected = 'expected sweep() results, { name: number[] } or a list of { name, values: number[] }';
  const entries: Array<[unknown, unknown]> = Array.isArray(source)
    ? source.map((g: { name?: unknown; values?: unknown } | null) => [g?.name, g?.values])
    : typeof source === 'object' && source !== null
      ? Object.entries(source)
      : [];
  if (entries.length === 0) throw new LstmError(`${what}: ${expected}, got ${describe(source)}`);
  return entries.map(([name, values], k) => {
    if (typeof name !== 'string' || !Array.isArray(values) || values.length === 0)
      throw new LstmError(`${what}: group ${k} ${expected}, got name ${describe(name)} and values ${describe(values)}`);
    const bad = values.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
    if (bad >= 0)
      throw new LstmError(`${what}: group "${name}" expected finite numbers, got ${describe(values[bad])} at ${bad}`);
    return { name, values: values as number[] };
  });
}
