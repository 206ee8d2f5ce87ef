/**
 * The headless runner as a user calls it (`node dist/cli.js run …`): outputs written in
 * nbformat 4, identical across runs apart from timing, the first failing cell reported with a
 * non-zero exit, invalid notebooks refused without being overwritten, --check and --timeout.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const CLI = join(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'lstm-notebook-runner-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function notebook(...sources: string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'lstm-notebook', display_name: 'LSTM (TypeScript)', language: 'typescript' } },
    cells: [
      { cell_type: 'markdown', metadata: {}, source: '# title' },
      ...sources.map((source) => ({ cell_type: 'code', metadata: {}, source, outputs: [], execution_count: null })),
    ],
  });
}

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stderr: r.stderr };
}

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const SEEDED = [
  "import { seed, LSTM, Tensor } from 'lstm-notebook';\nseed(42);\nconst m = new LSTM({ inputSize: 2, hiddenSize: 3 });\nconsole.log('weights', (m.stateDict()['weight_hh_l0'] as number[][])[0].slice(0, 3));",
  "const h = display('first');\nh.update('second');\nconsole.error('to stderr');\n[1, 2, 3].map((x) => x * x)",
];

test('a notebook runs and gets nbformat outputs: stream, display (updated in place), execute_result', () => {
  const file = write('ok.ipynb', notebook(...SEEDED));
  const r = cli('run', file, '--out', join(dir, 'ok.out.ipynb'));
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(readFileSync(join(dir, 'ok.out.ipynb'), 'utf8'));
  const [, first, second] = out.cells;
  assert.equal(first.execution_count, 1);
  assert.equal(first.outputs[0].output_type, 'stream');
  assert.match(first.outputs[0].text.join(''), /^weights \[/);
  assert.equal(second.execution_count, 2);
  assert.deepEqual(
    second.outputs.map((o: { output_type: string }) => o.output_type),
    ['display_data', 'stream', 'execute_result'],
  );
  assert.deepEqual(second.outputs[0].data['text/plain'], ["'second'"]);
  assert.deepEqual(second.outputs[1], { output_type: 'stream', name: 'stderr', text: ['to stderr\n'] });
  assert.deepEqual(second.outputs[2].data['text/plain'], ['[ 1, 4, 9 ]']);
  assert.equal(second.outputs[2].execution_count, 2);
});

test('two runs with one seed give identical outputs apart from timing metadata', () => {
  const file = write('twice.ipynb', notebook(...SEEDED));
  assert.equal(cli('run', file, '--out', join(dir, 'a.ipynb')).code, 0);
  assert.equal(cli('run', file, '--out', join(dir, 'b.ipynb')).code, 0);
  const strip = (name: string) => {
    const nb = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    for (const cell of nb.cells) delete cell.metadata.execution;
    return nb;
  };
  assert.deepEqual(strip('a.ipynb'), strip('b.ipynb'));
  // --check passes against a run's own output, and fails once an output is edited.
  assert.equal(cli('run', join(dir, 'a.ipynb'), '--check').code, 0);
  const edited = strip('a.ipynb');
  edited.cells[2].outputs[2].data['text/plain'] = ['[ 1, 4, 10 ]'];
  const editedFile = write('edited.ipynb', JSON.stringify(edited));
  const check = cli('run', editedFile, '--check');
  assert.equal(check.code, 1);
  assert.match(check.stderr, /outputs differ from the committed ones/);
  // …and says where: the cell, the output, the line, both values.
  assert.match(
    check.stderr,
    /Cell 3: output 3, line 1: "text\/plain: \[ 1, 4, 9 \]" — committed: "text\/plain: \[ 1, 4, 10 \]"/,
  );
  assert.equal(readFileSync(editedFile, 'utf8'), JSON.stringify(edited), '--check must not write');
});

test('the first failing cell stops the run, exits 1 and prints its error', () => {
  const file = write(
    'fails.ipynb',
    notebook('const a = 1;', "throw new RangeError('no good')", "console.log('never')"),
  );
  const r = cli('run', file, '--out', join(dir, 'fails.out.ipynb'));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Cell 3 failed:\nRangeError: no good/);
  const out = JSON.parse(readFileSync(join(dir, 'fails.out.ipynb'), 'utf8'));
  assert.equal(out.cells[2].outputs[0].output_type, 'error');
  assert.equal(out.cells[2].outputs[0].ename, 'RangeError');
  assert.deepEqual(out.cells[3].outputs, [], 'the cell after the failure must not run');
});

test('a cell of big typed arrays past the memory limit fails with the sizes and the limit, and the run stops there as for any failed cell', () => {
  // 2 GiB each at the default 4096 MiB limit, never written: the second is refused before any
  // page of it exists, so this costs the machine nothing.
  const file = write(
    'memory.ipynb',
    notebook(
      'const kept = new Float32Array(1000).fill(1);',
      'const a = new Float32Array(2 ** 29);\nconst b = new Float32Array(2 ** 29);\nconst c = new Float32Array(2 ** 29);',
      "console.log('never')",
    ),
  );
  const r = cli('run', file, '--out', join(dir, 'memory.out.ipynb'));
  assert.equal(r.code, 1, r.stderr);
  assert.match(
    r.stderr,
    /Cell 3 failed:\nRangeError: new Float32Array\(536870912\) would take 2048 MiB; \d+ MiB are in use and the kernel's memory limit is 4096 MiB \(lstmNotebook\.kernel\.heapLimitMb\): nothing was allocated/,
  );
  const out = JSON.parse(readFileSync(join(dir, 'memory.out.ipynb'), 'utf8'));
  assert.deepEqual(out.cells[1].outputs, []);
  assert.equal(out.cells[2].outputs[0].output_type, 'error');
  assert.equal(out.cells[2].outputs[0].ename, 'RangeError');
  assert.match(out.cells[2].outputs[0].evalue, /^new Float32Array\(536870912\) would take 2048 MiB/);
  assert.deepEqual(out.cells[3].outputs, [], 'the cell after the failure must not run');
});

test('invalid notebooks get a clear error, exit 2, and are not overwritten', () => {
  const cases: Array<[string, RegExp]> = [
    ['{ not json', /expected JSON, got a parse error/],
    [JSON.stringify({ nbformat: 3, cells: [] }), /expected "nbformat": 4, got 3/],
    [JSON.stringify({ nbformat: 4 }), /expected "cells" to be a list, got nothing/],
    [
      JSON.stringify({ nbformat: 4, cells: [{ cell_type: 'code', source: 7 }] }),
      /cell 1: expected source to be a string or a list of strings/,
    ],
  ];
  for (const [index, [text, message]] of cases.entries()) {
    const file = write(`bad${index}.ipynb`, text);
    const r = cli('run', file);
    assert.equal(r.code, 2, text);
    assert.match(r.stderr, message);
    assert.equal(readFileSync(file, 'utf8'), text);
  }
  assert.equal(cli('run').code, 2);
  assert.match(
    cli('run', 'x.ipynb', '--timeout', 'soon').stderr,
    /--timeout expects a positive number of seconds, got "soon"/,
  );
});

test('--timeout interrupts a cell that runs too long and fails the run', () => {
  const file = write('slow.ipynb', notebook('while (true) {}'));
  const r = cli('run', file, '--timeout', '1', '--out', join(dir, 'slow.out.ipynb'));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /ran longer than the 1 s timeout/);
});

test('a notebook of another kernel or language is refused with exit 2 and left byte-identical; one with no kernelspec runs', () => {
  const python = JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
      language_info: { name: 'python' },
    },
    cells: [
      {
        cell_type: 'code',
        metadata: {},
        source: 'import matplotlib.pyplot as plt\nplt.plot([1, 2])',
        outputs: [{ output_type: 'display_data', data: { 'image/png': 'iVBOR' }, metadata: {} }],
        execution_count: 3,
      },
    ],
  });
  const file = write('analysis.ipynb', python);
  for (const args of [[], ['--check'], ['--out', join(dir, 'analysis.out.ipynb')]]) {
    const r = cli('run', file, ...args);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /belongs to another kernel \(its kernelspec is "python3"\)/);
    assert.equal(readFileSync(file, 'utf8'), python);
  }
  assert.ok(!readdirSync(dir).includes('analysis.out.ipynb'));
  const deno = write(
    'deno.ipynb',
    JSON.stringify({ ...JSON.parse(notebook('1')), metadata: { language_info: { name: 'R' } } }),
  );
  assert.match(cli('run', deno).stderr, /its language is "R"/);
  const bare = write('bare.ipynb', JSON.stringify({ ...JSON.parse(notebook('1 + 1')), metadata: {} }));
  assert.equal(cli('run', bare).code, 0);
});

test('in-place runs keep metadata the runner does not own exactly, integers beyond 2^53 included, and leave no temporary file', () => {
  const text = notebook('40 + 2')
    .replace('"metadata":{"kernelspec"', '"metadata":{"big":12345678901234567890,"neg":-9007199254740993,"kernelspec"')
    .replace(
      '"cell_type":"code","metadata":{}',
      '"cell_type":"code","metadata":{"id":98765432109876543210,"tags":["x"]}',
    );
  const file = write('big.ipynb', text);
  const r = cli('run', file);
  assert.equal(r.code, 0, r.stderr);
  const written = readFileSync(file, 'utf8');
  assert.match(written, /"big": 12345678901234567890,/);
  assert.match(written, /"neg": -9007199254740993,/);
  assert.match(written, /"id": 98765432109876543210,/);
  assert.match(written, /'?42'?/);
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
  );
});

test('--out into a folder that does not exist fails before any cell runs, in one sentence, exit 2', () => {
  const file = write('nowhere.ipynb', notebook("console.log('ran')"));
  const before = readFileSync(file, 'utf8');
  const r = cli('run', file, '--out', join(dir, 'no-such-folder', 'out.ipynb'));
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /^lstm-notebook: cannot write .*out\.ipynb: expected the folder .*no-such-folder to exist, but it does not\. Nothing was run\.\n$/,
  );
  assert.doesNotMatch(r.stderr, /Cell 1|at /);
  assert.equal(readFileSync(file, 'utf8'), before);
});

test('the runner saves what Jupyter clients save: language_info from kernel_info, sources as lines, an id for every cell', () => {
  const nb = JSON.parse(notebook('1 + 1', '2 +\n2'));
  nb.cells[1].id = 'cell-3'; // a kept id, which the third cell's position would also give it
  const r = cli('run', write('ids.ipynb', JSON.stringify(nb)), '--out', join(dir, 'ids.out.ipynb'));
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(readFileSync(join(dir, 'ids.out.ipynb'), 'utf8'));
  const typescript = JSON.parse(
    readFileSync(join(__dirname, '..', '..', '..', '..', 'node_modules', 'typescript', 'package.json'), 'utf8'),
  );
  assert.equal(out.metadata.language_info.name, 'typescript');
  assert.equal(out.metadata.language_info.file_extension, '.ts');
  assert.equal(out.metadata.language_info.version, typescript.version);
  // nbformat's split: each line keeps its newline, the last has none.
  assert.deepEqual(out.cells[2].source, ['2 +\n', '2']);
  assert.deepEqual(out.cells[0].source, ['# title']);
  const ids = out.cells.map((c: { id: string }) => c.id);
  assert.deepEqual(ids, ['cell-1', 'cell-3', 'cell-3-2']);
  assert.ok(
    ids.every((id: string) => /^[A-Za-z0-9_-]{1,64}$/.test(id)),
    'nbformat 4.5 id pattern',
  );
  // Ids already there are kept as they are: a second run writes the same notebook.
  assert.equal(cli('run', join(dir, 'ids.out.ipynb'), '--out', join(dir, 'ids.again.ipynb')).code, 0);
  const again = JSON.parse(readFileSync(join(dir, 'ids.again.ipynb'), 'utf8'));
  assert.deepEqual(
    again.cells.map((c: { id: string }) => c.id),
    ids,
  );
});
