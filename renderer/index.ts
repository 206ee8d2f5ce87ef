/**
 * Notebook renderer for the application/vnd.lstm-notebook.*+json outputs (browser ESM). This
 * file owns the lifecycle: one live view per output, finalized when the output is replaced or
 * removed; a loss output rendered again with more points is extended in place. Drawing is in
 * charts/ (the pure specs, shared with the kernel's SVG fallback) and heatmap.ts. Anything
 * wrong with a payload shows an error box, as text.
 */
import type { ActivationFunction, OutputItem } from 'vscode-notebook-renderer';
import { changeset, type View } from 'vega';
import embed from 'vega-embed';
import type { ChartPayload, GatesPayload } from '../protocol/chart-payloads';
import { validatePayload } from '../protocol/validate-chart-payloads';
import type { SelectionMessage } from '../protocol/selection';
import { installBrush, keepsBrush, type BrushState } from './brush';
import { heatmapTooltip, panelDataUrl } from './heatmap';
import { drawTextView } from './text-view';
import { lossControls } from './loss-controls';
import { lossRows, specFor, type LossRows } from '../charts/index';
import { currentTheme, watchTheme } from './theme';
import { STYLE } from './style';

interface Live {
  element: HTMLElement;
  payload: ChartPayload;
  view: View | null;
  cleanup: Array<() => void>;
  /** Loss charts: the reader's settings, and the drawn rows that live updates extend. */
  logScale: boolean;
  smoothing: number;
  rows: LossRows | null;
  /** Gates charts: the reader's brush, kept across redraws (a theme switch, a live update of the same shape). */
  brush: BrushState | null;
  /** The brush's units must be worked out again and sent: the values under it changed. */
  brushStale: boolean;
  /** Counts draws: a draw that finishes after a newer one began (or after dispose) drops its view. */
  generation: number;
  /** The draw under way, and the newest payload that arrived meanwhile (applied when it ends). */
  drawing: Promise<void> | null;
  queued: ChartPayload | null;
  disposed: boolean;
}

const live = new Map<string, Live>();
/** Sends a message to the kernel's controller (VS Code's renderer messaging), where there is one. */
let post: ((message: SelectionMessage) => void) | undefined;
/** Vega views embedded and not yet finalized, for the leak checks of the browser tests. */
let openViews = 0;

export const activate: ActivationFunction = (context) => {
  const postMessage = context?.postMessage;
  post = postMessage ? (message) => postMessage(message) : undefined;
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
      if (existing && existing.element === element) {
        // Live updates (10 a second) can arrive while the first draw of a large chart is under
        // way: keep only the newest, and apply it when that draw ends, instead of starting over.
        if (existing.drawing) {
          existing.queued = payload;
          return existing.drawing;
        }
        if (extendLoss(existing, payload)) return;
      }
      const replacing = existing?.element === element ? existing : undefined;
      const settings = settingsOf(payload, replacing);
      const brush = replacing?.brush && keepsBrush(replacing.payload, payload) ? replacing.brush : null;
      dispose(item.id);
      const entry: Live = {
        element,
        payload,
        view: null,
        cleanup: [],
        ...settings,
        rows: null,
        brush,
        brushStale: brush !== null,
        generation: 0,
        drawing: null,
        queued: null,
        disposed: false,
      };
      live.set(item.id, entry);
      await draw(entry);
    },
    disposeOutputItem(id?: string) {
      if (id) dispose(id);
      else for (const key of [...live.keys()]) dispose(key);
    },
  };
};

/** A loss chart's settings: the payload's, unless it replaces a loss chart whose reader chose their own. */
function settingsOf(payload: ChartPayload, replacing?: Live): { logScale: boolean; smoothing: number } {
  if (payload.kind !== 'loss') return { logScale: false, smoothing: 0 };
  if (replacing?.payload.kind === 'loss') return { logScale: replacing.logScale, smoothing: replacing.smoothing };
  return { logScale: payload.logScale, smoothing: payload.smoothing };
}

/** Draws the entry's payload afresh; then applies a payload that arrived meanwhile. */
async function draw(entry: Live): Promise<void> {
  const drawing = drawOnce(entry);
  entry.drawing = drawing;
  await drawing;
  if (entry.drawing !== drawing) return; // a newer draw took over and will apply the queue
  entry.drawing = null;
  const next = entry.queued;
  entry.queued = null;
  if (next && !entry.disposed && !extendLoss(entry, next)) {
    const brush = entry.brush && keepsBrush(entry.payload, next) ? entry.brush : null;
    Object.assign(entry, { ...settingsOf(next, entry), payload: next, brush, brushStale: brush !== null });
    await draw(entry);
  }
}

async function drawOnce(entry: Live): Promise<void> {
  finalize(entry);
  const generation = ++entry.generation;
  const { element, payload } = entry;
  const root = document.createElement('div');
  root.className = `lstm-chart lstm-${payload.kind}`;
  const plotArea = document.createElement('div');
  if (payload.kind === 'loss') {
    root.appendChild(
      lossControls(entry, (settings) => {
        Object.assign(entry, settings);
        void draw(entry);
      }),
    );
  }
  root.appendChild(plotArea);
  element.replaceChildren(root);
  if (payload.kind === 'text') {
    // HTML, not vega: the text view draws (and selects) itself.
    entry.cleanup.push(drawTextView(payload, plotArea, post));
    return;
  }
  try {
    entry.rows = payload.kind === 'loss' ? lossRows(payload, entry.smoothing) : null;
    // A gates chart of a trace (not of a plain tensor) can select units by brushing.
    const brushable = payload.kind === 'gates' && payload.source !== undefined;
    const spec = specFor(payload, {
      brushable,
      theme: currentTheme(),
      lossRows: entry.rows ?? undefined,
      imageUrl: (panel) => panelDataUrl(payload as GatesPayload, panel),
      logScale: entry.logScale,
      smoothing: entry.smoothing,
    });
    const result = await embed(plotArea, spec as never, {
      actions: false,
      renderer: payload.kind === 'gates' || payload.kind === 'loss' ? 'canvas' : 'svg',
      mode: 'vega-lite',
    });
    openViews++;
    const close = () => {
      result.finalize();
      openViews--;
    };
    if (entry.disposed || entry.generation !== generation) return close();
    entry.view = result.view;
    entry.cleanup.push(close);
    if (payload.kind === 'gates') entry.cleanup.push(heatmapTooltip(result.view, payload, root));
    if (payload.kind === 'gates' && payload.source)
      entry.cleanup.push(
        installBrush(result.view, { ...payload, source: payload.source }, root, post, {
          initial: entry.brush,
          resend: entry.brushStale,
          onChange: (state) => {
            entry.brush = state;
            entry.brushStale = false;
          },
        }),
      );
  } catch (error) {
    if (!entry.disposed && entry.generation === generation)
      showError(null, element, `This chart could not be drawn: ${(error as Error).message}`);
  }
}

/**
 * A longer version of the same loss chart (a live update): the new points go into the kept
 * rows, and the view swaps only the rows that changed (the last bucket of each series, or all
 * of a series whose buckets just merged). Anything else — another series, a shorter series —
 * is a new chart, drawn afresh.
 */
function extendLoss(entry: Live, next: ChartPayload): boolean {
  const previous = entry.payload;
  const rows = entry.rows;
  if (previous.kind !== 'loss' || next.kind !== 'loss' || !entry.view || !rows) return false;
  if (
    next.series.length !== previous.series.length ||
    next.series.some((s, k) => s.name !== previous.series[k].name || s.x.length < rows.count(s.name))
  )
    return false;
  entry.payload = next;
  let change = changeset();
  let changed = false;
  for (const s of next.series) {
    const from = rows.count(s.name);
    if (from === s.x.length) continue;
    const { fromBucket, insert } = rows.append(s.name, s.x, s.y, from);
    change = change
      .remove((d: { series: string; bucket: number }) => d.series === s.name && d.bucket >= fromBucket)
      .insert(insert);
    changed = true;
  }
  if (changed) void entry.view.change('points', change).runAsync();
  return true;
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
  entry.disposed = true;
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

/** For the browser tests: vega views embedded and not finalized (one per live chart, or a leak). */
export function openViewCount(): number {
  return openViews;
}
