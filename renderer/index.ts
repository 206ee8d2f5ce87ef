/**
 * Notebook renderer for the application/vnd.lstm-notebook.*+json outputs (browser ESM). This
 * file owns the lifecycle: one live view per output, finalized when the output is replaced or
 * removed; a loss output rendered again with more points is extended in place. Drawing is in
 * specs/ (pure) and heatmap.ts. Anything wrong with a payload shows an error box, as text.
 */
import type { ActivationFunction, OutputItem } from 'vscode-notebook-renderer';
import { changeset, type View } from 'vega';
import embed from 'vega-embed';
import { validatePayload, type ChartPayload, type GatesPayload, type LossPayload } from '../protocol/charts';
import { heatmapTooltip, panelDataUrl } from './heatmap';
import { smoothInto, specFor, type LossPoint, type Smoother } from './specs/index';
import { currentTheme, watchTheme } from './theme';
import { STYLE } from './style';

interface Live {
  element: HTMLElement;
  payload: ChartPayload;
  view: View | null;
  cleanup: Array<() => void>;
  /** Loss charts: the reader's settings and the smoothers' running state, per series. */
  logScale: boolean;
  smoothing: number;
  smoothers: Map<string, Smoother>;
  counts: Map<string, number>;
}

const live = new Map<string, Live>();

export const activate: ActivationFunction = () => {
  injectStyle();
  watchTheme(() => {
    for (const entry of live.values()) void draw(entry);
  });
  return {
    async renderOutputItem(item: OutputItem, element: HTMLElement) {
      let data: unknown;
      try {
        data = item.json();
      } catch (error) {
        return showError(item.id, element, `This chart output is not valid JSON (${(error as Error).message}).`);
      }
      const problem = validatePayload(item.mime, data);
      if (problem) return showError(item.id, element, `This chart cannot be drawn: ${problem}`);
      const payload = data as ChartPayload;
      const existing = live.get(item.id);
      if (existing && existing.element === element && extendLoss(existing, payload)) return;
      dispose(item.id);
      const entry: Live = { element, payload, view: null, cleanup: [], logScale: payload.kind === 'loss' && payload.logScale, smoothing: payload.kind === 'loss' ? payload.smoothing : 0, smoothers: new Map(), counts: new Map() };
      live.set(item.id, entry);
      await draw(entry);
    },
    disposeOutputItem(id?: string) {
      if (id) dispose(id);
      else for (const key of [...live.keys()]) dispose(key);
    },
  };
};

async function draw(entry: Live): Promise<void> {
  finalize(entry);
  const { element, payload } = entry;
  const root = document.createElement('div');
  root.className = `lstm-chart lstm-${payload.kind}`;
  const plotArea = document.createElement('div');
  if (payload.kind === 'loss') root.appendChild(lossControls(entry));
  root.appendChild(plotArea);
  element.replaceChildren(root);
  try {
    const spec = specFor(payload, {
      theme: currentTheme(),
      imageUrl: (panel) => panelDataUrl(payload as GatesPayload, panel),
      logScale: entry.logScale,
      smoothing: entry.smoothing,
    });
    const result = await embed(plotArea, spec as never, { actions: false, renderer: payload.kind === 'gates' || payload.kind === 'loss' ? 'canvas' : 'svg', mode: 'vega-lite' });
    entry.view = result.view;
    entry.cleanup.push(() => result.finalize());
    if (payload.kind === 'gates') entry.cleanup.push(heatmapTooltip(result.view, payload, root));
    if (payload.kind === 'loss') resetSmoothers(entry, payload);
  } catch (error) {
    showError(null, element, `This chart could not be drawn: ${(error as Error).message}`);
  }
}

/** A longer version of the same loss chart: append the new points to the live view. */
function extendLoss(entry: Live, next: ChartPayload): boolean {
  const previous = entry.payload;
  if (previous.kind !== 'loss' || next.kind !== 'loss' || !entry.view) return false;
  if (next.series.length !== previous.series.length || next.series.some((s, k) => s.name !== previous.series[k].name || s.x.length < (entry.counts.get(s.name) ?? 0))) return false;
  const added: LossPoint[] = [];
  for (const s of next.series) {
    const from = entry.counts.get(s.name) ?? 0;
    smoothInto(s.name, s.x.slice(from), s.y.slice(from), entry.smoothing, entry.smoothers.get(s.name)!, added);
    entry.counts.set(s.name, s.x.length);
  }
  entry.payload = next;
  if (added.length > 0) void entry.view.change('points', changeset().insert(added)).runAsync();
  return true;
}

function resetSmoothers(entry: Live, payload: LossPayload): void {
  entry.smoothers.clear();
  entry.counts.clear();
  // Replay the smoother over the drawn points so appended points continue from its state.
  for (const s of payload.series) {
    const state = { m: 0, n: 0 };
    smoothInto(s.name, s.x, s.y, entry.smoothing, state, []);
    entry.smoothers.set(s.name, state);
    entry.counts.set(s.name, s.x.length);
  }
}

function lossControls(entry: Live): HTMLElement {
  const bar = document.createElement('div');
  bar.className = 'lstm-controls';
  const log = document.createElement('input');
  log.type = 'checkbox';
  log.checked = entry.logScale;
  log.addEventListener('change', () => {
    entry.logScale = log.checked;
    void draw(entry);
  });
  const smooth = document.createElement('input');
  smooth.type = 'range';
  smooth.min = '0';
  smooth.max = '0.99';
  smooth.step = '0.01';
  smooth.value = String(entry.smoothing);
  const shown = document.createElement('span');
  shown.textContent = entry.smoothing.toFixed(2);
  smooth.addEventListener('input', () => { shown.textContent = Number(smooth.value).toFixed(2); });
  smooth.addEventListener('change', () => {
    entry.smoothing = Number(smooth.value);
    void draw(entry);
  });
  bar.append(label('log scale', log), label('smoothing', smooth), shown);
  return bar;
}

function label(text: string, input: HTMLElement): HTMLElement {
  const l = document.createElement('label');
  l.append(input, document.createTextNode(` ${text} `));
  return l;
}

function showError(id: string | null, element: HTMLElement, message: string): void {
  if (id) dispose(id);
  const box = document.createElement('div');
  box.className = 'lstm-error';
  box.setAttribute('role', 'alert');
  box.textContent = message;
  element.replaceChildren(box);
}

function finalize(entry: Live): void {
  for (const f of entry.cleanup.splice(0)) f();
  entry.view = null;
}

function dispose(id: string): void {
  const entry = live.get(id);
  if (!entry) return;
  finalize(entry);
  live.delete(id);
}

function injectStyle(): void {
  if (document.getElementById('lstm-notebook-style')) return;
  const style = document.createElement('style');
  style.id = 'lstm-notebook-style';
  style.textContent = STYLE;
  document.head.appendChild(style);
}

/** For the browser tests: the live views by output id. */
export function liveViews(): ReadonlyMap<string, { view: View | null; kind: string }> {
  return new Map([...live].map(([id, e]) => [id, { view: e.view, kind: e.payload.kind }]));
}
