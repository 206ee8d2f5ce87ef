/**
 * The controls under a chart that selects units by example (gates heatmaps, the text view): the
 * on-threshold, the steps before and after that must be off, Clear, and the result — the units,
 * and the selectUnits call that makes the same selection again in a cell — which they also send
 * to the kernel.
 */
import { selectionCode, type SelectionMessage, type SelectionRule, type UnitSelection } from '../protocol/selection';

/** What the reader set in the controls, kept when a chart is drawn again. */
export interface ControlSettings {
  threshold: number;
  before: number;
  after: number;
  /** Whether the reader typed the threshold (else it follows the quantity's default). */
  touched: boolean;
}

export interface SelectionControls {
  /** The reader's settings now. */
  settings(): ControlSettings;
  /** The rule of a span [from, to), with the threshold and padding the reader set. */
  rule(steps: [number, number]): SelectionRule;
  /** Sets the threshold a quantity on `range` starts with, unless the reader typed one: 0.5 on [0, 1], 0.3 on [−1, 1] (LSTMVis's). */
  suggestThreshold(range: [number, number]): void;
  /**
   * Shows a selection (null: none) with a description of where it was made, and sends it to the
   * kernel when `send` (not when it is only drawn again).
   */
  show(selection: UnitSelection | null, where: string, send: boolean): void;
  remove(): void;
}

export function selectionControls(
  root: HTMLElement,
  options: {
    hint: string;
    /** Sends a message to the kernel; absent where the renderer has no messaging. */
    post: ((message: SelectionMessage) => void) | undefined;
    onEdit: () => void;
    onClear: () => void;
    initial?: ControlSettings;
  },
): SelectionControls {
  const bar = document.createElement('div');
  bar.className = 'lstm-controls lstm-brush';
  const number = (name: string, value: number, step: string, min?: string) => {
    const input = document.createElement('input');
    input.type = 'number';
    input.name = name;
    input.step = step;
    if (min !== undefined) input.min = min;
    input.value = String(value);
    input.style.width = '5em';
    return input;
  };
  const threshold = number('threshold', options.initial?.threshold ?? 0.5, '0.05');
  const before = number('before', options.initial?.before ?? 0, '1', '0');
  const after = number('after', options.initial?.after ?? 0, '1', '0');
  const clear = document.createElement('button');
  clear.textContent = 'Clear';
  clear.disabled = true;
  const label = (text: string, input: HTMLElement) => {
    const l = document.createElement('label');
    l.append(document.createTextNode(`${text} `), input);
    return l;
  };
  const hint = document.createElement('span');
  hint.textContent = options.hint;
  bar.append(hint, label('on ≥', threshold), label('off before', before), label('after', after), clear);
  const result = document.createElement('div');
  result.className = 'lstm-selection';
  root.append(bar, result);
  let touched = options.initial?.touched ?? false;
  bar.addEventListener('change', (event) => {
    if (event.target === threshold) touched = true;
    options.onEdit();
  });
  clear.addEventListener('click', options.onClear);
  const steps = (input: HTMLInputElement) => Math.max(0, Math.floor(Number(input.value) || 0));
  const settings = (): ControlSettings => ({
    threshold: Number(threshold.value),
    before: steps(before),
    after: steps(after),
    touched,
  });
  return {
    settings,
    rule: (span) => {
      const { threshold, before, after } = settings();
      return { steps: span, threshold, before, after };
    },
    suggestThreshold(range) {
      if (!touched) threshold.value = String(range[0] < 0 ? 0.3 : 0.5);
    },
    show(selection, where, send) {
      if (send) options.post?.({ type: 'selection', selection });
      clear.disabled = selection === null;
      if (!selection) return result.replaceChildren();
      const n = selection.units.length;
      const summary = document.createElement('div');
      summary.className = 'lstm-selection-units';
      summary.textContent = `${where}, steps ${selection.steps[0]}–${selection.steps[1] - 1}: ${n} unit${n === 1 ? '' : 's'}${n ? ` — ${selection.units.join(', ')}` : ''}`;
      const code = document.createElement('code');
      code.className = 'lstm-selection-code';
      code.textContent = selectionCode(selection);
      const next = document.createElement('span');
      next.textContent = options.post ? '  ·  the next cell gets it as plot.selection()' : '';
      result.replaceChildren(summary, code, next);
    },
    remove() {
      bar.remove();
      result.remove();
    },
  };
}
