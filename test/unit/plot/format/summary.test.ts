/**
 * Model summaries: parameter names, shapes and counts against PyTorch's named_parameters() and
 * sum(p.numel()) for the same configurations (test/fixtures/summary, made by PyTorch), the
 * aligned text written out by hand for a small model, and HTML built from escaped text only.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Embedding } from '../../../../core/embedding';
import { GRU } from '../../../../core/gru';
import { Linear } from '../../../../core/linear';
import { LSTM } from '../../../../core/lstm';
import { RNN } from '../../../../core/rnn';
import { modelSummary, summaryHtml, summaryText } from '../../../../plot/format/summary';
import { repoRoot } from '../../../helpers/fixtures';

interface Config {
  kind: 'LSTM' | 'GRU' | 'RNN' | 'Linear' | 'Embedding';
  config: Record<string, number | boolean | string>;
  parameters: [string, number[]][];
  count: number;
}

function build({ kind, config: c }: Config) {
  const recurrent = {
    inputSize: c.input_size as number,
    hiddenSize: c.hidden_size as number,
    numLayers: (c.num_layers as number) ?? 1,
    bidirectional: (c.bidirectional as boolean) ?? false,
    bias: (c.bias as boolean) ?? true,
  };
  if (kind === 'LSTM') return new LSTM(recurrent);
  if (kind === 'GRU') return new GRU(recurrent);
  if (kind === 'RNN') return new RNN({ ...recurrent, nonlinearity: c.nonlinearity as 'relu' });
  if (kind === 'Linear')
    return new Linear(c.in_features as number, c.out_features as number, { bias: (c.bias as boolean) ?? true });
  return new Embedding(c.num_embeddings as number, c.embedding_dim as number);
}

const fixture = JSON.parse(
  readFileSync(join(repoRoot(), 'test', 'fixtures', 'summary', 'parameter_counts.json'), 'utf8'),
) as Config[];

for (const config of fixture) {
  test(`the summary of ${config.kind} ${JSON.stringify(config.config)} lists PyTorch’s parameters and count`, () => {
    const summary = modelSummary(build(config))!;
    const rows = summary.sections[0].groups.flatMap((g) => g.rows);
    assert.deepEqual(
      rows.map((r) => [r.name, r.shape]),
      config.parameters.map(([name, shape]) => [name, `[${shape.join(', ')}]`]),
    );
    assert.equal(summary.total, config.count);
  });
}

test('the text is aligned: parameters, a subtotal per layer, the total over [model, head]', () => {
  const text = summaryText(modelSummary([new LSTM({ inputSize: 2, hiddenSize: 3, numLayers: 2 }), new Linear(3, 1)])!);
  const engine = new LSTM({ inputSize: 2, hiddenSize: 3 }).engine;
  // 4·3 rows: weight_ih_l0 12×2 = 24, weight_hh_l0 12×3 = 36, biases 12 each; layer 1 reads 3 features.
  // Columns by hand: the widest name is 'total (2 modules)' (17), shape '[12, 2]' (7), count 'count' (5).
  const row = (a: string, b: string, c: string) => `${a.padEnd(17)}  ${b.padEnd(7)}  ${c.padStart(5)}`.trimEnd();
  assert.equal(
    text,
    [
      row('parameter', 'shape', 'count'),
      `LSTM(2 → 3, 2 layers) · float32 · ${engine} engine`,
      row('  weight_ih_l0', '[12, 2]', '24'),
      row('  weight_hh_l0', '[12, 3]', '36'),
      row('  bias_ih_l0', '[12]', '12'),
      row('  bias_hh_l0', '[12]', '12'),
      row('    layer 0', '', '84'),
      row('  weight_ih_l1', '[12, 3]', '36'),
      row('  weight_hh_l1', '[12, 3]', '36'),
      row('  bias_ih_l1', '[12]', '12'),
      row('  bias_hh_l1', '[12]', '12'),
      row('    layer 1', '', '96'),
      'Linear(3 → 1) · float32',
      row('  weight', '[1, 3]', '3'),
      row('  bias', '[1]', '1'),
      row('total (2 modules)', '', '184'),
    ].join('\n'),
  );
});

test('the HTML is a table of escaped text in VS Code’s theme colours, with no script', () => {
  const html = summaryHtml(modelSummary(new Embedding(65, 16))!);
  assert.match(html, /<table class="lstm-summary">/);
  assert.match(html, /<td>weight<\/td><td>\[65, 16\]<\/td><td class="n">1,040<\/td>/);
  assert.match(html, /color:var\(--vscode-editor-foreground\)/);
  assert.doesNotMatch(html, /<script/i);
  const crafted = summaryHtml({
    sections: [
      {
        title: '<script>alert(1)</script>',
        interventions: ['<b>'],
        groups: [{ label: 'x', rows: [{ name: 'a&b', shape: '[1]', count: 1 }], count: 1 }],
        count: 1,
      },
    ],
    total: 1,
  });
  assert.match(crafted, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(crafted, /<td>a&amp;b<\/td>/);
  assert.match(crafted, /<td colspan="3">intervention: &lt;b&gt;<\/td>/);
  assert.doesNotMatch(crafted, /<script/i);
  assert.equal(modelSummary(42), null);
  assert.equal(modelSummary([]), null);
});

test('active interventions are listed under the model, and the engine they run on is named', () => {
  const model = new LSTM({ inputSize: 2, hiddenSize: 8 });
  model.intervene({ on: 'h', units: [3, 7] });
  const fix = model.intervene({ on: 'f', units: [1], mode: 'clamp', value: 1 });
  const lines = summaryText(modelSummary(model)!).split('\n');
  assert.deepEqual(lines.slice(1, 4), [
    `LSTM(2 → 8, 2 interventions) · float32 · ${model.engine} engine`,
    '  intervention: h units 3, 7 of layer 0 zeroed',
    '  intervention: f unit 1 of layer 0 clamped to 1',
  ]);
  assert.match(summaryHtml(modelSummary(model)!), /<td colspan="3">intervention: h units 3, 7 of layer 0 zeroed<\/td>/);
  fix.remove();
  assert.equal(
    summaryText(modelSummary(model)!)
      .split('\n')
      .filter((l) => l.includes('intervention:')).length,
    1,
  );
});
