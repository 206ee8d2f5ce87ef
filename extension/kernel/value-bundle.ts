/**
 * How a value is shown: charts (plot.* results, and the default chart of a trace, history or
 * gradient record) as their MIME bundle; models and layers as their summary table (HTML and
 * text); a sweep's results as its ranked table; everything else as text, the way Node's REPL
 * prints it — except objects of the core that describe themselves (tensors).
 */
import { inspect } from 'node:util';
import { SweepResults } from '../../core/index';
import { dataPreview, previewHtml, previewText } from '../../plot/format/dataset';
import { modelSummary, summaryHtml, summaryText } from '../../plot/format/summary';
import { sweepHtml } from '../../plot/format/sweep';
import type { Chart } from '../../plot/index';
import type { MimeBundle } from '../../protocol/kernel';
import type { ChartModule } from './chart-module';

/**
 * What shows itself as a MIME bundle: plot.*'s charts (a custom MIME type, the vega-lite spec,
 * image/svg+xml and text/plain) and findPattern's table.
 */
type ChartLike = Pick<Chart, 'toBundle'>;

function isChartLike(value: unknown): value is ChartLike {
  return typeof value === 'object' && value !== null && typeof (value as ChartLike).toBundle === 'function';
}

export async function bundleOf(
  value: unknown,
  charts: Pick<ChartModule, 'defaultChart'>,
  options: { svg?: boolean } = {},
): Promise<MimeBundle> {
  if (isChartLike(value)) return value.toBundle(options);
  const chart = charts.defaultChart(value);
  if (chart) return chart.toBundle(options);
  // A model, a layer or [model, head]: its summary table, in HTML and as aligned text.
  const summary = modelSummary(value);
  if (summary) return { 'text/html': summaryHtml(summary), 'text/plain': summaryText(summary) };
  // A data set or a corpus: its first rows (or an excerpt), as pandas shows a DataFrame.
  const preview = dataPreview(value);
  if (preview) return { 'text/html': previewHtml(preview), 'text/plain': previewText(preview) };
  // A sweep's results (also its live table while it runs): the ranked table.
  if (value instanceof SweepResults) return { 'text/html': sweepHtml(value), 'text/plain': value.toString() };
  return { 'text/plain': textOf(value) };
}

function textOf(value: unknown): string {
  if (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !ArrayBuffer.isView(value) &&
    !(value instanceof Error)
  ) {
    const own = (value as { toString?: unknown }).toString;
    if (typeof own === 'function' && own !== Object.prototype.toString) return String(value);
  }
  return inspect(value, { depth: 4, maxArrayLength: 100, maxStringLength: 10_000, breakLength: 100 });
}
