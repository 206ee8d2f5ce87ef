/**
 * What plot.* returns: a chart payload with its text summary. Shown by a cell (as its value or
 * through display()), it becomes a MIME bundle: the custom JSON type for the renderer, an SVG
 * rendered here in Node for every other client (GitHub, JupyterLab) — HTML for a text view —
 * and text.
 */
import type { ChartPayload } from '../protocol/chart-payloads';
import { MIME } from '../protocol/chart-payloads';
import { textViewHtml } from '../charts/index';
import { renderSvg } from './svg';

export class Chart {
  constructor(
    readonly payload: ChartPayload,
    readonly summary: string,
  ) {}

  get mime(): string {
    return MIME[this.payload.kind];
  }

  async toBundle(options: { svg?: boolean } = {}): Promise<Record<string, unknown>> {
    const bundle: Record<string, unknown> = { [this.mime]: this.payload };
    // A text view is HTML (coloured characters), which every notebook client shows; the charts are SVG.
    if (this.payload.kind === 'text') bundle['text/html'] = textViewHtml(this.payload);
    else if (options.svg !== false) bundle['image/svg+xml'] = await renderSvg(this.payload);
    bundle['text/plain'] = this.summary;
    return bundle;
  }

  toString(): string {
    return this.summary;
  }
}
