/**
 * Output: console streams in order and in volume, display handles update in place at most
 * ten times a second, and rich values reach the host as MIME bundles.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KernelSession } from '../../../extension/kernel/session';
import { newSession, run } from '../../helpers/kernel';

let session: KernelSession;
before(async () => {
  session = newSession();
  await session.whenReady();
});
after(() => session.dispose());

test('stdout and stderr keep their interleaved order', async () => {
  const r = await run(session, "console.log('a'); console.error('b'); console.log('c'); process.stdout.write('d\\n'); console.warn('e');");
  const sequence = r.outputs.map((o) => (o.type === 'stream' ? `${o.name}:${o.text}` : o.type)).join('');
  assert.equal(sequence, 'stdout:a\nstderr:b\nstdout:c\nd\nstderr:e\n');
});

test('100,000 lines from a loop all arrive, in order, in a few hundred messages', async () => {
  const n = 100_000;
  const r = await run(session, `for (let i = 0; i < ${n}; i++) console.log('line ' + i);`);
  assert.equal(r.ok, true, r.error?.stack);
  const lines = r.stdout.split('\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines.length, n);
  for (let i = 0; i < n; i += 9973) assert.equal(lines[i], `line ${i}`);
  assert.equal(lines[n - 1], `line ${n - 1}`);
  const messages = r.outputs.filter((o) => o.type === 'stream').length;
  assert.ok(messages < 500, `${messages} stream messages for ${n} lines: output is not batched`);
});

test('output printed while a cell awaits arrives before the cell ends', async () => {
  const seen: string[] = [];
  const done = session.execute("console.log('early'); await new Promise((r) => setTimeout(r, 400)); console.log('late');", 'Cell stream', (o) => {
    if (o.type === 'stream') seen.push(o.text);
  });
  await new Promise((r) => setTimeout(r, 250));
  assert.deepEqual(seen, ['early\n']);
  await done;
  assert.deepEqual(seen, ['early\n', 'late\n']);
});

test('display() shows a value and update() replaces it, throttled to 10/s, last value kept', async () => {
  const r = await run(session, [
    "const handle = display('v0');",
    'const until = Date.now() + 1000;',
    'let i = 0;',
    'while (Date.now() < until) handle.update(`v${++i}`);',
    'i',
  ].join('\n'));
  const displays = r.outputs.filter((o) => o.type === 'display');
  assert.equal(displays[0].type === 'display' && displays[0].update, false);
  assert.equal(displays[0].type === 'display' && displays[0].bundle['text/plain'], "'v0'");
  const updates = displays.slice(1);
  assert.ok(updates.every((u) => u.type === 'display' && u.update && u.displayId === (displays[0] as { displayId: string }).displayId));
  // One second of updates: at most ~10 sent plus the final flush.
  assert.ok(updates.length >= 5 && updates.length <= 12, `${updates.length} updates sent in 1 s`);
  const last = updates.at(-1)!;
  assert.equal(last.type === 'display' && last.bundle['text/plain'], `'v${r.value}'`);
});

test('models and tensors describe themselves as the value of a cell', async () => {
  const r = await run(session, "import { LSTM, Tensor } from 'lstm-notebook';\nnew LSTM({ inputSize: 3, hiddenSize: 5, numLayers: 2 })");
  assert.match(r.value!, /^LSTM\(3 → 5.*2 layers/);
});

test('a promise rejected after its cell ended is reported, and the kernel lives on', async () => {
  await run(session, "setTimeout(() => { throw new Error('late failure') }, 10); 1");
  await new Promise((r) => setTimeout(r, 50));
  const r = await run(session, '2 + 2');
  assert.equal(r.value, '4');
});
