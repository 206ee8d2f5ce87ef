/**
 * `%npm install` through the headless runner (`node dist/cli.js run …`), as a user runs a
 * notebook: a local tarball installed by one cell, imported by the next, outputs in nbformat.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { localPackage, packed } from '../../helpers/local-package';

const CLI = join(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'lstm-notebook-npm-runner-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('lstm-notebook run: a %npm install cell, then a cell importing the package', () => {
  packed(
    localPackage(dir, 'greeter', { 'index.js': 'exports.greet = (name) => `hello ${name}`;' }, { version: '0.1.0' }),
    dir,
  );
  const sources = ['%npm install ./greeter-0.1.0.tgz', "import { greet } from 'greeter';\ngreet('notebook')"];
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'lstm-notebook', display_name: 'LSTM (TypeScript)', language: 'typescript' } },
    cells: sources.map((source) => ({ cell_type: 'code', metadata: {}, source, outputs: [], execution_count: null })),
  };
  const file = join(dir, 'install.ipynb');
  writeFileSync(file, JSON.stringify(notebook));
  const r = spawnSync(process.execPath, [CLI, 'run', file, '--out', join(dir, 'out.ipynb')], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const [install, use] = JSON.parse(readFileSync(join(dir, 'out.ipynb'), 'utf8')).cells;
  const text = install.outputs
    .filter((o: { output_type: string }) => o.output_type === 'stream')
    .map((o: { text: string | string[] }) => [o.text].flat().join(''))
    .join('');
  assert.match(text, /Created .*package\.json/);
  assert.match(text, /added 1 package/);
  assert.deepEqual(
    use.outputs.map((o: { output_type: string }) => o.output_type),
    ['execute_result'],
  );
  assert.equal([use.outputs[0].data['text/plain']].flat().join(''), "'hello notebook'");
  assert.equal(
    JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies.greeter,
    'file:greeter-0.1.0.tgz',
  );
});
