/**
 * display(value) and its handle. A handle's update(value) replaces that output in place;
 * updates are throttled to at most one per 100 ms (10/s) with the last value always
 * delivered: an update that comes too soon is kept and sent when its time comes, or when the
 * cell ends. Live updates (and displays made `live`) skip the SVG fallback (it is slow to render
 * for big charts) but keep the vega-lite spec, which a Jupyter client draws them with; the last
 * update of a cell carries the SVG, so a saved notebook has it.
 */
import type { MimeBundle } from '../../protocol/kernel';
import type { Outbox } from './outbox';

const UPDATE_INTERVAL_MS = 100;

export interface DisplayHandle {
  readonly id: string;
  /** Replaces the output in place (throttled to 10 updates/s; the last value always arrives). */
  update(value: unknown): void;
}

type ToBundle = (value: unknown, options: { svg: boolean }) => Promise<MimeBundle>;

interface Live {
  id: string;
  lastSent: number;
  /** The newest value not yet sent, built lazily: a chart of 100,000 points is built only when it is sent. */
  waiting: (() => unknown) | null;
  /** The value last sent, to re-send with its SVG at the end of the cell. */
  last: () => unknown;
  timer: ReturnType<typeof setTimeout> | null;
  sentWithoutSvg: boolean;
}

export class Displays {
  private next = 1;
  private readonly live = new Map<string, Live>();

  constructor(
    private readonly outbox: Outbox,
    private readonly cellId: () => number,
    private readonly toBundle: ToBundle,
  ) {}

  /**
   * Shows `value`. With `live: true` (train()'s charts, which updates will follow) it is sent
   * without its SVG, as its updates are: the SVG of a chart about to change is wasted work (a gate
   * heatmap's takes ~100 ms); the cell's end (flush) sends the last value with it.
   */
  display(value: unknown, options: { live?: boolean } = {}): DisplayHandle {
    const id = `display-${this.next++}`;
    const svg = !options.live;
    const live: Live = {
      id,
      lastSent: Date.now(),
      waiting: null,
      last: () => value,
      timer: null,
      sentWithoutSvg: !svg,
    };
    this.live.set(id, live);
    const cell = this.cellId();
    this.outbox.send(async () => ({
      type: 'display',
      id: cell,
      displayId: id,
      bundle: await this.toBundle(value, { svg }),
      update: false,
    }));
    return { id, update: (v: unknown) => this.updateLazy(id, () => v) };
  }

  /**
   * clearOutput(): the cell's outputs so far go — at once, or with `wait` when its next output
   * arrives, which the host does (protocol/kernel.ts). Through the outbox, so it comes after
   * everything shown before it and before everything shown after.
   */
  clear(wait: boolean): void {
    const cell = this.cellId();
    this.outbox.send(() => ({ type: 'clear', id: cell, wait }));
  }

  /** An update whose value is made only if and when it is sent. */
  updateLazy(id: string, make: () => unknown): void {
    const live = this.live.get(id);
    if (!live) throw new Error(`display handle ${id} is unknown`);
    live.waiting = make;
    const wait = live.lastSent + UPDATE_INTERVAL_MS - Date.now();
    if (wait <= 0) this.sendWaiting(live, false);
    else if (!live.timer) live.timer = setTimeout(() => this.sendWaiting(live, false), wait);
  }

  /** At the end of a cell: send every waiting update, and the SVG of every live-updated output. */
  flush(): void {
    for (const live of this.live.values()) {
      if (live.waiting || live.sentWithoutSvg) this.sendWaiting(live, true);
    }
  }

  private sendWaiting(live: Live, svg: boolean): void {
    if (live.timer) clearTimeout(live.timer);
    live.timer = null;
    const make = live.waiting ?? live.last;
    live.waiting = null;
    live.last = make;
    live.lastSent = Date.now();
    live.sentWithoutSvg = !svg;
    const value = make();
    const cell = this.cellId();
    this.outbox.send(async () => ({
      type: 'display',
      id: cell,
      displayId: live.id,
      bundle: await this.toBundle(value, { svg }),
      update: true,
    }));
  }
}
