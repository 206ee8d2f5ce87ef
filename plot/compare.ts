/**
 * What an intervention (or a training step, or another input) changed: the difference of two
 * traces of the same shape, after − before, as gate heatmaps on a diverging scale symmetric
 * around 0, each panel's range ±max |Δ| of what it shows.
 */
import { LstmError, Tensor, type LayerTrace, type Trace } from '../core/index';
import type { GatesPayload } from '../protocol/chart-payloads';
import { checkTrace, gatesPayload, pickLayer, quantityOf, sampleOf, type GatesOptions } from './builders';

/** after − before, tensor by tensor; the two traces must have the same kind, shape and layers. */
function difference(before: Trace, after: Trace): Trace {
  const shape = (t: Trace) =>
    `${t.kind} ${t.variant}, ${t.steps} steps × ${t.batch} samples × ${t.hiddenSize} units, ${t.layers.length} layer traces`;
  if (shape(before) !== shape(after))
    throw new LstmError(
      `plot.compare: expected two traces of the same model and input shape, got ${shape(before)} and ${shape(after)}`,
    );
  const minus = (a: Tensor, b: Tensor) => {
    const out = Tensor.zeros(a.shape, a.dtype);
    for (let n = 0; n < out.size; n++) out.data[n] = a.data[n] - b.data[n];
    return out;
  };
  const layers: LayerTrace[] = after.layers.map((l, k) => {
    const b = before.layers[k];
    const gates: LayerTrace['gates'] = {};
    for (const [key, g] of Object.entries(l.gates)) {
      if (!b.gates[key]) throw new LstmError(`plot.compare: the traces differ in their gates (${key})`);
      gates[key] = { pre: minus(g.pre, b.gates[key].pre), act: minus(g.act, b.gates[key].act) };
    }
    return { ...l, gates, c: l.c && b.c ? minus(l.c, b.c) : null, h: minus(l.h, b.h) };
  });
  return { ...after, layers };
}

/** The difference heatmaps, and per panel the largest |Δ| (for the chart's text). */
export function comparePayload(
  beforeArg: unknown,
  afterArg: unknown,
  options: GatesOptions = {},
): { payload: GatesPayload; largest: Array<[string, number]> } {
  const diff = difference(checkTrace('plot.compare', beforeArg), checkTrace('plot.compare', afterArg));
  const p = gatesPayload(diff, { ...options, title: options.title ?? 'Change: after − before' });
  const layer = pickLayer('plot.compare', diff, options.layer, options.direction);
  const sample = options.sample ?? 0;
  const largest: Array<[string, number]> = [];
  for (const panel of p.panels) {
    // Every panel of the payload is a quantity the layer has.
    const m = sampleOf(quantityOf(diff, layer, panel.name)!.x, sample).reduce(
      (acc, v) => Math.max(acc, Math.abs(v)),
      0,
    );
    largest.push([panel.name, m]);
    // Symmetric, so 0 is the scale's midpoint; a panel that did not change gets a tiny range.
    const r = m > 0 ? m : 1e-6;
    panel.range = [-r, r];
    panel.label = `Δ ${panel.label}`;
  }
  return { payload: p, largest };
}
