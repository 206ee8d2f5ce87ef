/**
 * Selecting units by example in a gates chart (LSTMVis): drag across steps in a panel, set the
 * on-threshold and the steps before and after that must be off; the units that match are
 * outlined in every panel, listed with the call that selects them again, and counted per step
 * in the track beneath. The selection goes to the kernel (renderer messaging → controller →
 * worker) for plot.selection(). The rule itself is protocol/selection.ts, as in the kernel.
 */
import { changeset, type View } from 'vega';
import type { ChartPayload, GatesPayload } from '../protocol/chart-payloads';
import { countOn, unitsOnAcross, type SelectionMessage, type UnitSelection } from '../protocol/selection';
import { BRUSH_DATA, panelValues } from '../charts/index';
import { pointer } from './heatmap';
import { selectionControls, type ControlSettings } from './selection-controls';

/** A brush as the reader left it: the span in its panel and the controls' settings. */
export interface BrushState extends ControlSettings {
  panel: number;
  from: number;
  to: number;
}

/**
 * Whether a brush made on `before` still means something on `after` (a live update, say): both
 * gates charts of the same trace source, steps, units and panels — the values may differ, and the
 * selection is worked out again on the new ones.
 */
export function keepsBrush(before: ChartPayload, after: ChartPayload): boolean {
  if (before.kind !== 'gates' || after.kind !== 'gates' || !before.source || !after.source) return false;
  const same = (a: object, b: object) => JSON.stringify(a) === JSON.stringify(b);
  return (
    before.steps === after.steps &&
    before.units === after.units &&
    same(before.source, after.source) &&
    same(
      before.panels.map((p) => p.name),
      after.panels.map((p) => p.name),
    )
  );
}

interface PanelBox {
  panel: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

interface SceneNode {
  marktype?: string;
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  datum?: { panel?: number };
  items?: SceneNode[];
}

/** Where each panel's image is in view coordinates, from the scenegraph (groups add their offsets). */
function panelBoxes(view: View): PanelBox[] {
  const boxes: PanelBox[] = [];
  const walk = (mark: SceneNode, ox: number, oy: number) => {
    for (const item of mark.items ?? []) {
      if (mark.marktype === 'image' && item.datum?.panel !== undefined)
        boxes.push({
          panel: item.datum.panel,
          x: ox + (item.x ?? 0),
          y: oy + (item.y ?? 0),
          width: item.width ?? 0,
          height: item.height ?? 0,
        });
      if (mark.marktype === 'group')
        for (const child of item.items ?? []) walk(child, ox + (item.x ?? 0), oy + (item.y ?? 0));
    }
  };
  walk((view.scenegraph() as unknown as { root: SceneNode }).root, 0, 0);
  return boxes;
}

/**
 * Installs brushing on a drawn gates chart whose payload names its source; returns the remover.
 * `post` sends a message to the kernel (absent where the renderer has no messaging). `keep`
 * carries the brush across redraws: `initial` is drawn again (and sent when `resend`: the values
 * under it changed), and `onChange` hears every new state.
 */
export function installBrush(
  view: View,
  p: GatesPayload & { source: NonNullable<GatesPayload['source']> },
  root: HTMLElement,
  post: ((message: SelectionMessage) => void) | undefined,
  keep: { initial: BrushState | null; resend: boolean; onChange: (state: BrushState | null) => void },
): () => void {
  let span: { panel: number; from: number; to: number } | null = keep.initial
    ? { panel: keep.initial.panel, from: keep.initial.from, to: keep.initial.to }
    : null;
  const controls = selectionControls(root, {
    initial: keep.initial ?? undefined,
    hint: 'Drag across steps in a panel to select the units on there.',
    post,
    onEdit: () => {
      if (span) apply(true);
    },
    onClear: () => {
      span = null;
      apply(true);
    },
  });

  const replace = (name: string, rows: object[]) =>
    view.change(
      name,
      changeset()
        .remove(() => true)
        .insert(rows),
    );

  /** Recomputes the selection from the span and the inputs, redraws it, and sends it to the kernel. */
  const apply = (send: boolean) => {
    if (!span) {
      replace(BRUSH_DATA.span, []);
      replace(BRUSH_DATA.units, []);
      replace(BRUSH_DATA.counts, []);
      void view.runAsync();
      controls.show(null, '', send);
      keep.onChange(null);
      return;
    }
    const panel = p.panels[span.panel];
    const values = panelValues(panel);
    const rule = controls.rule([span.from, span.to]);
    const units = unitsOnAcross(values, p.steps, p.units, rule);
    const counts = countOn(values, p.steps, p.units, units, rule.threshold);
    replace(BRUSH_DATA.span, [{ panel: span.panel, from: span.from, to: span.to }]);
    replace(
      BRUSH_DATA.units,
      units.map((u) => ({ u, u1: u + 1 })),
    );
    replace(
      BRUSH_DATA.counts,
      counts.map((n, t) => ({ t, t1: t + 1, n })),
    );
    void view.runAsync();
    const selection: UnitSelection = { on: panel.name, ...p.source, ...rule, units };
    controls.show(selection, panel.label, send);
    keep.onChange({ ...span, ...controls.settings() });
  };

  const container = view.container();
  let boxes: PanelBox[] = [];
  let dragging: { box: PanelBox; start: number } | null = null;
  const stepAt = (box: PanelBox, event: MouseEvent) => {
    const [x] = pointer(view, event);
    return Math.min(p.steps - 1, Math.max(0, Math.floor(((x - box.x) / box.width) * p.steps)));
  };
  const down = (event: MouseEvent) => {
    if (event.button !== 0) return;
    boxes = boxes.length ? boxes : panelBoxes(view);
    const [x, y] = pointer(view, event);
    const box = boxes.find((b) => x >= b.x && x < b.x + b.width && y >= b.y && y < b.y + b.height);
    if (!box) return;
    event.preventDefault();
    const start = stepAt(box, event);
    dragging = { box, start };
    controls.suggestThreshold(p.panels[box.panel].range);
    span = { panel: box.panel, from: start, to: start + 1 };
    replace(BRUSH_DATA.span, [span]);
    void view.runAsync();
  };
  const move = (event: MouseEvent) => {
    if (!dragging) return;
    const t = stepAt(dragging.box, event);
    span = { panel: dragging.box.panel, from: Math.min(t, dragging.start), to: Math.max(t, dragging.start) + 1 };
    replace(BRUSH_DATA.span, [span]);
    void view.runAsync();
  };
  const up = () => {
    if (!dragging) return;
    dragging = null;
    apply(true);
  };
  if (span) apply(keep.resend);
  container?.addEventListener('mousedown', down);
  window.addEventListener('mousemove', move);
  window.addEventListener('mouseup', up);
  return () => {
    container?.removeEventListener('mousedown', down);
    window.removeEventListener('mousemove', move);
    window.removeEventListener('mouseup', up);
    controls.remove();
  };
}
