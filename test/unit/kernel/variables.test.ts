/**
 * The notebook's variables through a real worker: session.variables() (the variables view) and
 * `%whos` in a cell. Expected rows are written from what the cell declares: shapes, lengths,
 * a parameter count worked out by hand, values typed in the test.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { VariableRow } from '../../../protocol/kernel';
import type { KernelSession } from '../../../extension/kernel/session';
import { newSession, run } from '../../helpers/kernel';

let session: KernelSession;
before(async () => {
  session = newSession();
  await session.whenReady();
});
after(() => session.dispose());

const byName = (rows: VariableRow[]) => new Map(rows.map((r) => [r.name, r]));

test('a fresh kernel has no variables: none of Node’s or the kernel’s own globals are listed', async () => {
  assert.deepEqual(await session.variables(), []);
});

test('each top-level name with its type, size and a short value, sorted by name', async () => {
  const cell = [
    "import { LSTM, Tensor } from 'lstm-notebook';",
    'const x = Tensor.from([1, -2.5, 3, 4, 5, 6, 7], [7]);',
    'const model = new LSTM({ inputSize: 3, hiddenSize: 5 });',
    'let count = 3;',
    "const label = 'gates';",
    'const list = [10, 20, 30];',
    'const options = { lr: 0.01, epochs: 5 };',
    'const words = new Map([["a", 1]]);',
    'function loss(p: number, q: number) { return p - q; }',
    'class Probe {}',
    'const probe = new Probe();',
    'var nothing: null = null;',
  ].join('\n');
  const r = await run(session, cell);
  assert.equal(r.ok, true, r.error?.stack);
  const rows = await session.variables();
  assert.deepEqual(
    rows.map((r) => r.name),
    ['LSTM', 'Probe', 'Tensor', 'count', 'label', 'list', 'loss', 'model', 'nothing', 'options', 'probe', 'words', 'x'],
  );
  const row = byName(rows);
  assert.deepEqual(row.get('x'), {
    name: 'x',
    type: 'Tensor',
    size: '[7]',
    value: 'float32 [1.0000, -2.5000, 3.0000, 4.0000, 5.0000, 6.0000, …]',
  });
  // An LSTM's parameters: 4 gates × H × (I + H) weights and two biases of 4 · H, H = 5, I = 3.
  const params = 4 * 5 * (3 + 5) + 2 * 4 * 5;
  assert.deepEqual(row.get('model'), { name: 'model', type: 'LSTM', size: `${params} params`, value: 'LSTM(3 → 5)' });
  assert.deepEqual(row.get('count'), { name: 'count', type: 'number', size: '', value: '3' });
  assert.deepEqual(row.get('label'), { name: 'label', type: 'string', size: '5 chars', value: '"gates"' });
  assert.deepEqual(row.get('list'), { name: 'list', type: 'Array', size: '3', value: '[ 10, 20, 30 ]' });
  assert.deepEqual(row.get('options'), {
    name: 'options',
    type: 'Object',
    size: '2 keys',
    value: '{ lr: 0.01, epochs: 5 }',
  });
  assert.equal(row.get('words')?.size, '1');
  assert.equal(row.get('loss')?.type, 'function');
  assert.equal(row.get('Probe')?.type, 'class');
  assert.equal(row.get('probe')?.type, 'Probe');
  assert.equal(row.get('nothing')?.type, 'null');
  assert.equal(row.get('LSTM')?.type, 'class');
});

test('describing changes nothing and survives what cannot be described: a getter, a throwing description, a long value', async () => {
  const cell = [
    'let reads = 0;',
    "Object.defineProperty(globalThis, 'lazy', { get() { reads++; throw new Error('read me not'); }, enumerable: true, configurable: true });",
    "const odd = { [Symbol.for('debug.description')]() { throw new Error('no words for this'); } };",
    "const long = 'y'.repeat(500);",
    'const wide = Array.from({ length: 50 }, (_, i) => ({ index: i, name: `item ${i}` }));',
    'const vocabulary: Record<string, number> = {};',
    'for (let i = 0; i < 50000; i++) vocabulary[`w${i}`] = i;',
    "Object.defineProperty(vocabulary, 'w3', { get() { reads++; return 3; }, enumerable: true });",
  ].join('\n');
  assert.equal((await run(session, cell)).ok, true);
  const row = byName(await session.variables());
  assert.deepEqual(row.get('lazy'), { name: 'lazy', type: 'accessor', size: '', value: '(a getter: not called)' });
  assert.equal(row.get('odd')?.value, '(could not be described: no words for this)');
  assert.equal(row.get('long')?.size, '500 chars');
  assert.ok(row.get('long')!.value.length <= 120, row.get('long')!.value);
  assert.ok(row.get('long')!.value.endsWith('…'));
  assert.equal(row.get('wide')?.size, '50');
  assert.ok(!row.get('wide')!.value.includes('\n'));
  assert.ok(row.get('wide')!.value.length <= 120);
  // 50,000 keys: the first 12 and a count, the getter among them named, not called.
  assert.deepEqual(row.get('vocabulary'), {
    name: 'vocabulary',
    type: 'Object',
    size: '50,000 keys',
    value:
      '{ w0: 0, w1: 1, w2: 2, w3: [Getter], w4: 4, w5: 5, w6: 6, w7: 7, w8: 8, w9: 9, w10: 10, w11: 11, … 49988 more }',
  });
  assert.equal((await run(session, 'reads')).value, '0', 'the getters were never called');
});

test('asked while a cell awaits, the worker answers before the cell ends', async () => {
  let ended = false;
  const running = run(session, 'const early = 1;\nawait new Promise((r) => setTimeout(r, 400));\nconst late = 2;').then(
    (r) => ((ended = true), r),
  );
  await new Promise((resolve) => setTimeout(resolve, 150));
  const rows = byName(await session.variables());
  assert.equal(ended, false, 'answered during the cell');
  assert.equal(rows.get('early')?.value, '1');
  assert.equal(rows.get('late')?.type, 'undefined', 'declared, not yet assigned');
  assert.equal((await running).ok, true);
  assert.equal(byName(await session.variables()).get('late')?.value, '2');
});

test('%whos shows the table, %whos <types> only those types, with a sentence when none match', async () => {
  const fresh = newSession();
  try {
    await fresh.whenReady();
    const empty = await run(fresh, '%whos');
    assert.equal(empty.ok, true, empty.error?.stack);
    const bundles = () =>
      empty.outputs.flatMap((o) => (o.type === 'display' ? [o.bundle as Record<string, string>] : []));
    assert.deepEqual(bundles(), [{ 'text/plain': 'No variables yet: no cell has declared a top-level name.' }]);

    const r = await run(
      fresh,
      "import { Tensor } from 'lstm-notebook';\nconst h = Tensor.zeros([2, 4]);\nconst steps = 12;\n%whos\n%whos tensor\n%whos Model",
    );
    assert.equal(r.ok, true, r.error?.stack);
    const shown = r.outputs.flatMap((o) => (o.type === 'display' ? [o.bundle as Record<string, string>] : []));
    assert.equal(shown.length, 3);
    assert.deepEqual(shown[0]['text/plain'].split('\n'), [
      'Variable  Type    Size    Value',
      'Tensor    class           [class Tensor]',
      'h         Tensor  [2, 4]  float32 [0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, …]',
      'steps     number          12',
    ]);
    assert.match(shown[0]['text/html'], /<caption>3 variables<\/caption>/);
    assert.match(shown[0]['text/html'], /<td>h<\/td><td>Tensor<\/td><td>\[2, 4\]<\/td>/);
    assert.deepEqual(
      shown[1]['text/plain'].split('\n').map((l) => l.split(/\s+/)[0]),
      ['Variable', 'h'],
    );
    assert.equal(shown[2]['text/plain'], 'No variables of type Model; the types here are class, Tensor, number.');
  } finally {
    await fresh.dispose();
  }
});

test('%whos with something other than type names is a syntax error on its line; nothing runs', async () => {
  const r = await run(session, 'const ran = true;\n%whos 1x');
  assert.equal(r.ok, false);
  assert.match(r.error!.message, /%whos takes type names \(e\.g\. %whos Tensor LSTM\), got "1x"/);
  assert.match(r.error!.stack, /:2:1/);
  assert.equal(byName(await session.variables()).has('ran'), false);
});

test('a restart answers waiting requests with no variables, and the new worker has none', async () => {
  const slow = run(session, 'const t0 = Date.now(); while (Date.now() - t0 < 300) {}');
  const waiting = session.variables();
  await session.restart();
  assert.deepEqual(await waiting, []);
  await slow;
  assert.deepEqual(await session.variables(), []);
});

test('asked as the restart begins (the state change), the answer is no variables, not a wait forever', async () => {
  let asked: Promise<VariableRow[]> | undefined;
  const restarting: KernelSession = newSession({
    onStateChange: (state) => {
      if (state === 'restarting') asked = restarting.variables();
    },
  });
  try {
    await restarting.whenReady();
    assert.equal((await run(restarting, 'const before = 1;')).ok, true);
    await restarting.restart();
    assert.ok(asked, 'asked during the restart');
    assert.deepEqual(await asked, []);
  } finally {
    await restarting.dispose();
  }
});
