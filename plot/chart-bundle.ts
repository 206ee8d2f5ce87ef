/**
 * What plot.* returns: a chart payload with its text summary. Shown by a cell (as its value or
 * through display()), it becomes a MIME bundle: the custom JSON type for the renderer; the
 * chart's vega-lite spec, which Jupyter front ends draw (live updates too: a Jupyter client has
 * nothing else to draw them with); an SVG rendered here in Node from that spec for every other
 * client (GitHub) — HTML for a text view, which has no vega-lite spec — and text.
 */
import type { ChartPayload } from '../protocol/chart-payloads';
import { MIME, VEGA_LITE_MIME } from '../protocol/chart-payloads';
import { textViewHtml } from '../charts/index';
import { renderSvg } from './svg';
import { vegaLiteSpec } from './vega-lite';

export class Chart {
  constructor(
    readonly payload: ChartPayload,
    readonly summary: string,
  ) {}

  get mime(): string {
    return MIME[this.payload.kind];
  }

  /** `svg: false` for live updates: the SVG is the slow part, and the cell's end sends it. */
  async toBundle(options: { svg?: boolean } = {}): Promise<Record<string, unknown>> {
    const bundle: Record<string, unknown> = { [this.mime]: this.payload };
    if (this.payload.kind === 'text') bundle['text/html'] = textViewHtml(this.payload);
    else {
      const spec = vegaLiteSpec(this.payload);
      bundle[VEGA_LITE_MIME] = spec;
      if (options.svg !== false) bundle['image/svg+xml'] = await renderSvg(spec);
    }
    bundle['text/plain'] = this.summary;
    return bundle;
  }

  toString(): string {
    return this.summary;
  }
}
