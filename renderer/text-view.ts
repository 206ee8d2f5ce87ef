/**
 * The text view in the renderer: the HTML of charts/text.ts, and selecting by example in it —
 * select some characters (as any text is selected), and the rows become the units on across
 * them (and off around them, by the controls' threshold and padding); the selection goes to the
 * kernel for plot.selection(), as from a gates chart.
 */
import type { TextPayload } from '../protocol/chart-payloads';
import { unitsOnAcross, type SelectionMessage, type UnitSelection } from '../protocol/selection';
import { panelValues, textViewHtml } from '../charts/index';
import { selectionControls } from './selection-controls';

/** Draws the view into `root`; returns the remover of its listeners. */
export function drawTextView(
  p: TextPayload,
  root: HTMLElement,
  post: ((message: SelectionMessage) => void) | undefined,
): () => void {
  const view = document.createElement('div');
  root.append(view);
  // Our own HTML, built from escaped text only (charts/text.ts).
  const draw = (units: readonly number[], span: [number, number] | null) => {
    view.innerHTML = textViewHtml(p, units);
    if (span)
      for (const el of view.querySelectorAll<HTMLElement>('[data-t]')) {
        const t = Number(el.dataset.t);
        if (t >= span[0] && t < span[1]) el.classList.add('lstm-text-span');
      }
  };
  draw(p.shown, null);
  const source = p.source;
  let span: [number, number] | null = null;
  const apply = (send: boolean) => {
    if (!span || !source) {
      draw(p.shown, null);
      controls.show(null, '', send);
      return;
    }
    const rule = controls.rule(span);
    const units = unitsOnAcross(panelValues(p), p.tokens.length, p.units, rule);
    draw(units, span);
    const selection: UnitSelection = { on: p.name, ...source, ...rule, units };
    controls.show(selection, p.label, send);
  };
  const controls = selectionControls(root, {
    hint: 'Select characters of the text: the rows become the units on across them.',
    post,
    onEdit: () => {
      if (span) apply(true);
    },
    onClear: () => {
      span = null;
      apply(true);
    },
  });
  controls.suggestThreshold(p.range);
  const stepOf = (node: Node | null) =>
    Number((node instanceof Element ? node : node?.parentElement)?.closest<HTMLElement>('[data-t]')?.dataset.t ?? NaN);
  const up = () => {
    const selected = document.getSelection();
    if (!selected || selected.isCollapsed || !view.contains(selected.anchorNode)) return;
    const a = stepOf(selected.anchorNode);
    const b = stepOf(selected.focusNode);
    if (!Number.isInteger(a) || !Number.isInteger(b)) return;
    span = [Math.min(a, b), Math.max(a, b) + 1];
    selected.removeAllRanges();
    apply(true);
  };
  view.addEventListener('mouseup', up);
  return () => {
    view.removeEventListener('mouseup', up);
    controls.remove();
  };
}
