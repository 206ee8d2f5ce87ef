/**
 * A notebook as one self-contained HTML page, readable with no network: markdown rendered
 * (markdown-it, TeX math as MathML through Temml, which browsers draw with no fonts or script),
 * code highlighted (highlight.js, at export time, so the page needs no script), and every
 * output as the notebook holds it — streams, errors with their tracebacks, text, HTML tables
 * (their VS Code theme variables given light-theme values), images, and every chart as the SVG
 * its output carries. No `vscode`, no Node: the CLI (`lstm-notebook export`) and the extension's
 * command both call notebookHtml().
 *
 * Charts are <img> elements with the SVG as a data: URL (a text view, which has none, its HTML) rather than inline <svg>: vega names its
 * clip paths and gradients by counters, which collide between two charts inlined in one
 * document, and an image cannot run script. The page's Content-Security-Policy allows no script
 * and no request at all (only data: images and the page's own styles), so even a text/html output
 * or raw HTML in markdown cannot run code or reach the network when the page is opened.
 */
import hljs from 'highlight.js/lib/core';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import typescript from 'highlight.js/lib/languages/typescript';
import MarkdownIt from 'markdown-it';
import { mathPlugin } from './math';
import { PAGE_CSS } from './style';

hljs.registerLanguage('typescript', typescript);
hljs.registerLanguage('javascript', javascript);
hljs.registerLanguage('json', json);
hljs.registerLanguage('python', python);

/** The parts of an nbformat 4 notebook the page shows (extension/kernel/nbformat.ts reads files into it). */
export interface ExportNotebook {
  metadata?: Record<string, unknown>;
  cells: ExportCell[];
}

interface ExportCell {
  cell_type: string;
  source: string | string[];
  metadata?: Record<string, unknown>;
  execution_count?: number | null;
  outputs?: ExportOutput[];
}

type ExportOutput =
  | { output_type: 'stream'; name: string; text: string | string[] }
  | { output_type: 'display_data' | 'execute_result'; data: Record<string, unknown>; execution_count?: number | null }
  | { output_type: 'error'; ename: string; evalue: string; traceback?: string[] };

/** The MIME types whose outputs are charts: ours, and vega-lite's. */
const CHART_MIME = /^application\/vnd\.(lstm-notebook\.[a-z]+\+json|vegalite\.v\d+\+json)$/;

const markdown = new MarkdownIt({ html: true, linkify: true }).use(mathPlugin);

/** `&`, `<`, `>`, `"` and `'` as entities: text that can sit in an element or an attribute. */
function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

/**
 * An output's HTML without what the page's Content-Security-Policy cannot stop: a <meta> (a refresh
 * would navigate away) or a <base>. Scripts, frames, requests and forms the policy refuses.
 */
function inert(html: string): string {
  return html.replace(/<(meta|base)\b[^>]*>/gi, '');
}

/** A multi-line nbformat string (one string, or a list of lines) as one string. */
function text(value: unknown): string {
  if (Array.isArray(value)) return value.join('');
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/** Terminal colour codes (a traceback's) removed. */
function stripAnsi(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}

function codeLanguage(nb: ExportNotebook, cell: ExportCell): string {
  const vscode = cell.metadata?.vscode as { languageId?: unknown } | undefined;
  const info = nb.metadata?.language_info as { name?: unknown } | undefined;
  const name = typeof vscode?.languageId === 'string' ? vscode.languageId : info?.name;
  return typeof name === 'string' ? name.toLowerCase() : 'typescript';
}

/** Code as highlight.js's spans (classes styled by PAGE_CSS), or escaped text in a language it does not know. */
function highlight(code: string, language: string): string {
  return hljs.getLanguage(language) ? hljs.highlight(code, { language }).value : escapeHtml(code);
}

function prompt(label: string, count: number | null | undefined): string {
  return `<div class="prompt">${label}${count == null ? '[ ]' : `[${count}]`}:</div>`;
}

function base64(value: string): string {
  const bytes = new TextEncoder().encode(value);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * One display_data / execute_result bundle: its richest representation the page can show. A chart
 * (our MIME types, or vega-lite's) is a <figure class="chart">: the SVG it carries, or — a text
 * view has no SVG — its HTML.
 */
function bundleHtml(data: Record<string, unknown>): string {
  const chart = Object.keys(data).find((mime) => CHART_MIME.test(mime));
  const body = representation(data);
  return chart ? `<figure class="chart" data-mime="${escapeHtml(chart)}">${body}</figure>` : body;
}

function representation(data: Record<string, unknown>): string {
  const plain = data['text/plain'] === undefined ? '' : text(data['text/plain']);
  const svg = data['image/svg+xml'];
  if (svg !== undefined) {
    const src = `data:image/svg+xml;base64,${base64(text(svg))}`;
    return `<img class="image" alt="${escapeHtml(plain || 'chart')}" src="${src}">`;
  }
  for (const mime of ['image/png', 'image/jpeg', 'image/gif']) {
    const image = data[mime];
    if (typeof image === 'string' || Array.isArray(image))
      return `<img class="image" alt="${escapeHtml(plain)}" src="data:${mime};base64,${text(image).replace(/\s/g, '')}">`;
  }
  if (data['text/html'] !== undefined) return `<div class="html">${inert(text(data['text/html']))}</div>`;
  if (data['text/markdown'] !== undefined)
    return `<div class="markdown">${markdown.render(text(data['text/markdown']))}</div>`;
  if (data['text/plain'] !== undefined) return `<pre class="text">${escapeHtml(plain)}</pre>`;
  if (data['application/json'] !== undefined)
    return `<pre class="text">${escapeHtml(JSON.stringify(data['application/json'], null, 2))}</pre>`;
  const mimes = Object.keys(data).join(', ');
  return `<pre class="text missing">(an output this page cannot show: ${escapeHtml(mimes || 'empty')})</pre>`;
}

function outputHtml(output: ExportOutput): string {
  switch (output.output_type) {
    case 'stream':
      return `<pre class="stream ${output.name === 'stderr' ? 'stderr' : 'stdout'}">${escapeHtml(stripAnsi(text(output.text)))}</pre>`;
    case 'error': {
      const traceback = (output.traceback ?? []).map(stripAnsi).join('\n');
      const head = `${output.ename}: ${output.evalue}`;
      const body = traceback.includes(output.evalue) ? traceback : `${head}\n${traceback}`;
      return `<pre class="error">${escapeHtml(body.trimEnd() || head)}</pre>`;
    }
    case 'display_data':
    case 'execute_result':
      return bundleHtml(output.data ?? {});
    default:
      return `<pre class="text missing">(an output of an unknown type: ${escapeHtml(JSON.stringify((output as { output_type?: unknown }).output_type))})</pre>`;
  }
}

function cellHtml(nb: ExportNotebook, cell: ExportCell): string {
  const source = text(cell.source);
  if (cell.cell_type === 'markdown') return `<section class="cell markdown">${markdown.render(source)}</section>`;
  if (cell.cell_type !== 'code') return `<section class="cell raw"><pre>${escapeHtml(source)}</pre></section>`;
  const language = codeLanguage(nb, cell);
  const outputs = (cell.outputs ?? []).map((output) => {
    const count = output.output_type === 'execute_result' ? output.execution_count : undefined;
    return `<div class="output">${output.output_type === 'execute_result' ? prompt('Out', count) : '<div class="prompt"></div>'}<div class="output-body">${outputHtml(output)}</div></div>`;
  });
  return (
    `<section class="cell code"><div class="input">${prompt('In', cell.execution_count)}` +
    `<pre class="source"><code class="hljs language-${escapeHtml(language)}">${highlight(source, language)}</code></pre></div>` +
    (outputs.length ? `<div class="outputs">${outputs.join('')}</div>` : '') +
    `</section>`
  );
}

/** How many chart outputs the notebook holds (each is one figure.chart in the page). */
export function chartCount(nb: ExportNotebook): number {
  let count = 0;
  for (const cell of nb.cells)
    for (const output of cell.outputs ?? [])
      if (
        (output.output_type === 'display_data' || output.output_type === 'execute_result') &&
        Object.keys(output.data ?? {}).some((mime) => CHART_MIME.test(mime))
      )
        count++;
  return count;
}

/** The page: `title` is its <title> (the notebook's file name, say). */
export function notebookHtml(nb: ExportNotebook, options: { title: string }): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="lstm-notebook export">',
    `<title>${escapeHtml(options.title)}</title>`,
    `<style>${PAGE_CSS}</style>`,
    '</head>',
    '<body class="vscode-light">',
    '<main class="notebook">',
    ...nb.cells.map((cell) => cellHtml(nb, cell)),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
