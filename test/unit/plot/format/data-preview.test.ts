/**
 * Data previews: a SequenceDataset's sizes and first rows (the expected text written by hand
 * for a small data set), a character data set's rows read back as text, a corpus's excerpt, and
 * HTML from escaped text only.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CharCorpus } from '../../../../core/data/corpus';
import { SequenceDataset } from '../../../../core/data/dataset';
import { Tensor } from '../../../../core/tensor';
import { dataPreview, previewHtml, previewText } from '../../../../plot/format/dataset';

test('a data set shows its sizes and first rows: the first steps, the last, the target', () => {
  // 6 sequences of 4 steps of 2 features; sequence n is [n + 0.5, t] at step t; target n · 10.
  const inputs = Tensor.from(Array.from({ length: 6 }, (_, n) => Array.from({ length: 4 }, (_, t) => [n + 0.5, t])));
  const targets = Tensor.from(Array.from({ length: 6 }, (_, n) => [n * 10]));
  const data = new SequenceDataset({ name: 'toy', inputs, targets, target: 'last' });
  assert.equal(
    previewText(dataPreview(data)!),
    [
      'SequenceDataset "toy" · 6 sequences × 4 steps × 2 features · target last, 1 value',
      // The inputs column is as wide as its widest cell: 4 steps of 8 characters, 3 spaces, ' … ' = 37.
      `#  ${'inputs (first 3 steps … last)'.padEnd(37)}  target`,
      '0  [0.5, 0] [0.5, 1] [0.5, 2] … [0.5, 3]  0',
      '1  [1.5, 0] [1.5, 1] [1.5, 2] … [1.5, 3]  10',
      '2  [2.5, 0] [2.5, 1] [2.5, 2] … [2.5, 3]  20',
      '3  [3.5, 0] [3.5, 1] [3.5, 2] … [3.5, 3]  30',
      '4  [4.5, 0] [4.5, 1] [4.5, 2] … [4.5, 3]  40',
      '… 1 more',
    ].join('\n'),
  );
});

test('a character data set reads as text; a corpus shows its size, vocabulary and an excerpt', () => {
  const corpus = new CharCorpus('to be or not to be\nthat is the question');
  const data = corpus.dataset({ seqLength: 8, stride: 4 });
  const preview = dataPreview(data)!;
  assert.deepEqual(preview.columns, ['#', 'inputs (as text)', 'targets (as text)']);
  assert.deepEqual(preview.rows![0], ['0', 'to be or', 'o be or ']);
  // Windows start every 4 characters: the 4th at character 12, " to be\nt", its targets one later.
  assert.deepEqual(preview.rows![3], ['3', ' to be↵t', 'to be↵th']);
  assert.equal(
    previewText(dataPreview(corpus)!),
    // 18 + 1 + 20 characters.
    `CharCorpus · 39 characters · ${corpus.vocabSize} symbols\nto be or not to be\nthat is the question`,
  );
});

test('HTML is a table of escaped text: a name with <script> shows as text', () => {
  const data = new SequenceDataset({
    name: '<script>alert(1)</script>',
    inputs: Tensor.zeros([2, 3, 1]),
    targets: Tensor.zeros([2, 1]),
    target: 'last',
  });
  const html = previewHtml(dataPreview(data)!);
  assert.match(html, /<caption>SequenceDataset &quot;&lt;script&gt;alert\(1\)&lt;\/script&gt;&quot;/);
  assert.doesNotMatch(html, /<script/i);
  assert.match(html, /color:var\(--vscode-editor-foreground\)/);
  assert.equal(dataPreview(42), null);
});
