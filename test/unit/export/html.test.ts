/**
 * The HTML export (extension/export/): a small notebook's page holds its code highlighted, its
 * markdown and math rendered, its streams and errors, text escaped (a <script> in an output stays
 * text), every chart as an image of its SVG, and nothing that reaches the network; the CLI's
 * usage errors say what was expected and what was given.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { chartCount, notebookHtml, type ExportNotebook } from '../../../extension/export/html';
import { main } from '../../../extension/export/main';

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>';
const SCRIPT = '<script>window.pwned = 1</script>';

const notebook: ExportNotebook = {
  metadata: { language_info: { name: 'typescript' } },
  cells: [
    { cell_type: 'markdown', source: ['# Title\n', '\n', 'Some *prose* with $h_t = o_t \\odot \\tanh(c_t)$.\n'] },
    {
      cell_type: 'code',
      execution_count: 3,
      source: "const model = new LSTM({ inputSize: 2, hiddenSize: 4 });\nconsole.log('<b>');",
      outputs: [
        { output_type: 'stream', name: 'stdout', text: ['loss 0.25\n', `${SCRIPT}\n`] },
        { output_type: 'stream', name: 'stderr', text: 'a warning\n' },
        {
          output_type: 'display_data',
          data: {
            'application/vnd.lstm-notebook.loss+json': { kind: 'loss' },
            'application/vnd.vegalite.v5+json': { mark: 'line' },
            'image/svg+xml': SVG,
            'text/plain': 'Training loss',
          },
        },
        {
          output_type: 'execute_result',
          execution_count: 3,
          data: {
            'text/plain': `Tensor ${SCRIPT}`,
            'text/html': '<table class="lstm-summary"><tr><td>1</td></tr></table>',
          },
        },
        {
          output_type: 'error',
          ename: 'RangeError',
          evalue: `bad size ${SCRIPT}`,
          traceback: [`\u001b[31mRangeError\u001b[0m: bad size ${SCRIPT}`, '    at f (Cell 3:2:9)'],
        },
      ],
    },
    { cell_type: 'code', execution_count: null, source: 'let x = 1;', outputs: [] },
  ],
};

test('code is highlighted, markdown and its math rendered, outputs in order with their prompts', () => {
  const html = notebookHtml(notebook, { title: 'demo.ipynb' });
  assert.match(html, /<title>demo\.ipynb<\/title>/);
  assert.match(html, /<span class="hljs-keyword">const<\/span> model = <span class="hljs-keyword">new<\/span>/);
  assert.match(html, /<h1>Title<\/h1>/);
  assert.match(html, /<em>prose<\/em>/);
  assert.match(html, /<math[^>]*>.*<mi>h<\/mi>/s, 'TeX as MathML');
  assert.match(html, /In\[3\]:/);
  assert.match(html, /Out\[3\]:/);
  assert.match(html, /In\[ \]:/);
  assert.match(html, /<pre class="stream stdout">loss 0\.25\n/);
  assert.match(html, /<pre class="stream stderr">a warning/);
  assert.match(html, /<pre class="error">RangeError: bad size &lt;script&gt;.*\n {4}at f \(Cell 3:2:9\)<\/pre>/);
  assert.ok(!html.includes('\u001b'), 'terminal colours stripped');
  assert.match(html, /<table class="lstm-summary">/, 'HTML tables as they are');
  assert.match(html, /--vscode-editor-foreground: #3b3b3b/, "the tables' theme variables get light values");
});

test('text is escaped: a <script> in a cell, a stream, a text/plain or an error stays text, and the page allows no script', () => {
  const html = notebookHtml(notebook, { title: `<script>x</script>` });
  assert.ok(!html.includes('<script'), 'no script element');
  assert.ok(!html.includes('refresh'), "an output's <meta> refresh dropped");
  assert.match(html, /&lt;script&gt;window\.pwned = 1&lt;\/script&gt;/);
  assert.match(html, /\(<span class="hljs-string">&#x27;&lt;b&gt;&#x27;<\/span>\)/);
  assert.match(
    html,
    /Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'"/,
  );
});

test('every chart is a figure with its SVG as a data: image; nothing refers to the network', () => {
  const html = notebookHtml(notebook, { title: 'demo' });
  assert.equal(chartCount(notebook), 1);
  const figures = [
    ...html.matchAll(/<figure class="chart" data-mime="([^"]+)"><img class="image" alt="([^"]*)" src="([^"]+)">/g),
  ];
  assert.equal(figures.length, 1);
  assert.equal(figures[0][1], 'application/vnd.lstm-notebook.loss+json');
  assert.equal(figures[0][2], 'Training loss');
  const [, base64] = figures[0][3].split('data:image/svg+xml;base64,');
  assert.equal(Buffer.from(base64, 'base64').toString('utf8'), SVG);
  // No script, style sheet, image, frame or font loaded from anywhere.
  assert.doesNotMatch(html, /<(script|link|iframe)\b/i);
  assert.doesNotMatch(html, /\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
  assert.doesNotMatch(html, /url\(\s*["']?(https?:)?\/\//i);
});

test('a chart without an SVG (a text view) shows its HTML; an output of no known type names its MIME types', () => {
  const html = notebookHtml(
    {
      cells: [
        {
          cell_type: 'code',
          source: '',
          outputs: [
            {
              output_type: 'display_data',
              data: {
                'application/vnd.lstm-notebook.text+json': {},
                'text/html': '<div class="lstm-text-view">t</div>',
              },
            },
            { output_type: 'display_data', data: { 'application/x-custom': {} } },
          ],
        },
      ],
    },
    { title: 't' },
  );
  assert.match(
    html,
    /<figure class="chart" data-mime="application\/vnd\.lstm-notebook\.text\+json"><div class="html"><div class="lstm-text-view">/,
  );
  assert.match(html, /an output this page cannot show: application\/x-custom/);
});

/** main() with its stderr captured. */
async function run(argv: string[]): Promise<{ code: number; stderr: string }> {
  const original = console.error;
  const lines: string[] = [];
  console.error = (...args: unknown[]) => void lines.push(args.join(' '));
  try {
    return { code: await main(argv), stderr: lines.join('\n') };
  } finally {
    console.error = original;
  }
}

test('the CLI writes the page beside the notebook, or to --out; bad usage exits 2 naming what was expected', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'export-'));
  try {
    const input = join(dir, 'nb.ipynb');
    writeFileSync(input, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, ...notebook }));
    let result = await run([input, '--to', 'html']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /wrote .*nb\.html \(\d+ KB; 3 cells, 1 chart\)/);
    assert.match(readFileSync(join(dir, 'nb.html'), 'utf8'), /^<!doctype html>/);
    result = await run([input, '--to=html', '--out', join(dir, 'page.html')]);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(existsSync(join(dir, 'page.html')));

    result = await run([input]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /expected --to html/);
    assert.match(result.stderr, /usage: lstm-notebook export/);
    result = await run([input, '--to', 'pdf']);
    assert.deepEqual(
      [result.code, result.stderr.split('\n')[0]],
      [2, 'lstm-notebook export: --to expects "html", got "pdf"'],
    );
    result = await run([input, '--to', 'html', '--out', join(dir, 'missing', 'x.html')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /expected the folder .*missing to exist, but it does not\. Nothing was written\./);
    result = await run([join(dir, 'none.ipynb'), '--to', 'html']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /expected a notebook file at .*none\.ipynb, but there is none/);
    writeFileSync(join(dir, 'bad.ipynb'), '{"nbformat": 3, "cells": []}');
    result = await run([join(dir, 'bad.ipynb'), '--to', 'html']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /expected "nbformat": 4, got 3/);
    result = await run([input, '--to', 'html', '--pdf']);
    assert.match(result.stderr, /unknown option --pdf: expected --to or --out/);
    // An option without its value, at the end or before another option.
    for (const argv of [
      [input, '--to'],
      [input, '--out', '--to', 'html'],
    ]) {
      result = await run(argv);
      assert.deepEqual(
        [result.code, result.stderr.split('\n')[0]],
        [2, `lstm-notebook export: ${argv.at(-1) === '--to' ? '--to' : '--out'} expects a value`],
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
