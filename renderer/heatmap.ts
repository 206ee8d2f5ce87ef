/**
 * Heatmap panels in the browser: pixels drawn on a canvas (one pixel per step × unit, scaled by
 * the image mark without smoothing), and a tooltip that reads step, unit and the exact value
 * under the pointer — the image mark itself knows only its bounds.
 */
import type { View } from 'vega';
import type { GatePanel, GatesPayload } from '../protocol/chart-payloads';
import { colourTable, heatmapPixels, panelValues, schemeFor } from '../charts/index';

const tables = new Map<string, Uint8Array>();

export function panelDataUrl(p: GatesPayload, panel: GatePanel): string {
  const scheme = schemeFor(panel.range);
  let table = tables.get(scheme);
  if (!table) tables.set(scheme, (table = colourTable(scheme)));
  const canvas = document.createElement('canvas');
  canvas.width = p.steps;
  canvas.height = p.units;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this webview cannot draw on a canvas');
  context.putImageData(
    new ImageData(heatmapPixels(panelValues(panel), p.steps, p.units, panel.range, table), p.steps, p.units),
    0,
    0,
  );
  return canvas.toDataURL('image/png');
}

interface SceneItem {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  datum?: { panel?: number };
  mark: { marktype: string; group?: SceneItem };
}

/** Installs the tooltip; returns its remover. */
export function heatmapTooltip(view: View, p: GatesPayload, host: HTMLElement): () => void {
  const tip = document.createElement('div');
  tip.className = 'lstm-tooltip';
  tip.hidden = true;
  host.appendChild(tip);
  const handler = (event: Event, raw: unknown) => {
    const item = raw as SceneItem | null;
    const mouse = event as MouseEvent;
    if (!item || item.mark?.marktype !== 'image' || item.datum?.panel === undefined) {
      tip.hidden = true;
      return;
    }
    // The item's position is relative to its group: add the groups' offsets up to the root.
    let x0 = item.x ?? 0;
    let y0 = item.y ?? 0;
    for (let g = item.mark.group; g; g = g.mark?.group) {
      x0 += g.x ?? 0;
      y0 += g.y ?? 0;
    }
    const [px, py] = pointer(view, mouse);
    const t = Math.floor(((px - x0) / (item.width ?? 1)) * p.steps);
    const u = Math.floor(((py - y0) / (item.height ?? 1)) * p.units);
    const panel = p.panels[item.datum.panel];
    if (!panel || t < 0 || t >= p.steps || u < 0 || u >= p.units) {
      tip.hidden = true;
      return;
    }
    const token = p.tokens ? `  ·  ${JSON.stringify(p.tokens[t])}` : '';
    // JSON has no NaN: a NaN of the trace arrives as null (or NaN from float32 data).
    const v = panelValues(panel)[t * p.units + u] as number | null;
    const [xName, yName] = p.axes ? [p.axes.x, p.axes.y] : ['step', 'unit'];
    tip.textContent = `${panel.label}  ·  ${xName} ${t}  ·  ${yName} ${u}  ·  ${typeof v === 'number' && Number.isFinite(v) ? v.toFixed(4) : String(v ?? NaN)}${token}`;
    tip.style.left = `${mouse.offsetX + 12}px`;
    tip.style.top = `${mouse.offsetY + 12}px`;
    tip.hidden = false;
  };
  const hide = () => {
    tip.hidden = true;
  };
  view.addEventListener('mousemove', handler);
  view.addEventListener('mouseout', hide);
  return () => {
    view.removeEventListener('mousemove', handler);
    view.removeEventListener('mouseout', hide);
    tip.remove();
  };
}

/** The pointer in view coordinates (the canvas may be offset by the view's padding and origin). */
export function pointer(view: View, event: MouseEvent): [number, number] {
  const origin = (view as unknown as { origin(): [number, number] }).origin();
  const canvas = view.container()?.querySelector('canvas, svg');
  const rect = canvas?.getBoundingClientRect();
  const x = rect ? event.clientX - rect.left : event.offsetX;
  const y = rect ? event.clientY - rect.top : event.offsetY;
  return [x - origin[0], y - origin[1]];
}
