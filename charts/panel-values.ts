/**
 * A gate panel's values as numbers, whichever way they travelled (a JSON list, or base64
 * float32: protocol/float32-codec.ts). The renderer's canvas and tooltips and the SVG fallback
 * all read them, so each panel is decoded once and kept as long as the panel is.
 */
import type { GatePanel } from '../protocol/chart-payloads';
import { decodeF32 } from '../protocol/float32-codec';

const decoded = new WeakMap<GatePanel, ArrayLike<number>>();

export function panelValues(panel: GatePanel): ArrayLike<number> {
  if (typeof panel.values !== 'string') return panel.values;
  let values = decoded.get(panel);
  if (!values) decoded.set(panel, (values = decodeF32(panel.values)));
  return values;
}
