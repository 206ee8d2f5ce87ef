/**
 * The worker's outbox (extension/kernel/outbox.ts) on its own, on a mocked clock: text is
 * batched until 16 KiB wait or 50 ms pass, a change of stream or cell sends what waits, and
 * outputs still being made hold back everything after them, so the host sees the cell's order.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { Outbox } from '../../../extension/kernel/outbox';
import type { WorkerMessage } from '../../../protocol/kernel';

beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 }));
afterEach(() => mock.timers.reset());

/** An outbox posting into `posted`, for the cell `cell.id`. */
function outboxFor(cell = { id: 1 }) {
  const posted: WorkerMessage[] = [];
  return {
    outbox: new Outbox(
      (message) => posted.push(message),
      () => cell.id,
    ),
    posted,
    cell,
  };
}

const stdout = (text: string, id = 1): WorkerMessage => ({ type: 'stream', id, name: 'stdout', text });
const stderr = (text: string, id = 1): WorkerMessage => ({ type: 'stream', id, name: 'stderr', text });
const display = (n: number): WorkerMessage => ({
  type: 'display',
  id: 1,
  displayId: `display-${n}`,
  bundle: { 'text/plain': String(n) },
  update: false,
});

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets every settled promise run its callbacks (setImmediate is not mocked). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

test('text written within 50 ms goes out as one message when the first line is 50 ms old', () => {
  const { outbox, posted } = outboxFor();
  outbox.stream('stdout', 'a\n');
  mock.timers.tick(30);
  outbox.stream('stdout', 'b\n');
  mock.timers.tick(19);
  assert.deepEqual(posted, []);
  mock.timers.tick(1);
  assert.deepEqual(posted, [stdout('a\nb\n')]);
});

test('a write 50 ms after the first waiting line sends at once: a synchronous loop never lets the timer fire', () => {
  const { outbox, posted } = outboxFor();
  outbox.stream('stdout', 'a');
  mock.timers.setTime(50); // the clock moves, no timer runs
  assert.deepEqual(posted, []);
  outbox.stream('stdout', 'b');
  assert.deepEqual(posted, [stdout('ab')]);
  mock.timers.tick(100);
  assert.deepEqual(posted, [stdout('ab')], 'the timer was cleared with the text it was for');
});

test('16 KiB of waiting text are sent at once', () => {
  const { outbox, posted } = outboxFor();
  outbox.stream('stdout', 'x'.repeat(16 * 1024 - 1));
  assert.deepEqual(posted, []);
  outbox.stream('stdout', 'y');
  assert.deepEqual(posted, [stdout(`${'x'.repeat(16 * 1024 - 1)}y`)]);
  mock.timers.tick(100);
  assert.equal(posted.length, 1);
});

test('a new batch after a sent one waits its own 50 ms', () => {
  const { outbox, posted } = outboxFor();
  outbox.stream('stdout', 'a');
  mock.timers.tick(50);
  mock.timers.tick(10);
  outbox.stream('stdout', 'b');
  mock.timers.tick(49);
  assert.deepEqual(posted, [stdout('a')]);
  mock.timers.tick(1);
  assert.deepEqual(posted, [stdout('a'), stdout('b')]);
});

test('switching between stdout and stderr sends the waiting text first, so the two interleave in order', () => {
  const { outbox, posted } = outboxFor();
  outbox.stream('stdout', 'a');
  outbox.stream('stderr', 'b');
  outbox.stream('stdout', 'c');
  assert.deepEqual(posted, [stdout('a'), stderr('b')]);
  mock.timers.tick(50);
  assert.deepEqual(posted, [stdout('a'), stderr('b'), stdout('c')]);
});

test('an empty chunk sends nothing, not even an empty message when the stream changes', () => {
  const { outbox, posted } = outboxFor();
  outbox.stream('stdout', '');
  outbox.stream('stderr', 'b');
  mock.timers.tick(50);
  assert.deepEqual(posted, [stderr('b')]);
});

test('text keeps the cell it was written in, though it is sent while the next one runs', () => {
  const { outbox, posted, cell } = outboxFor();
  outbox.stream('stdout', 'a');
  cell.id = 2;
  mock.timers.tick(50);
  outbox.stream('stdout', 'b');
  cell.id = 3;
  outbox.stream('stdout', 'c');
  mock.timers.tick(50);
  assert.deepEqual(posted, [stdout('a', 1), stdout('b', 2), stdout('c', 3)]);
});

test('send posts a ready message at once, after the text that waited before it', () => {
  const { outbox, posted } = outboxFor();
  outbox.stream('stdout', 'a');
  outbox.send(() => display(1));
  assert.deepEqual(posted, [stdout('a'), display(1)]);
});

test('an output still being made holds back the text and outputs after it, which are made in their turn', async () => {
  const { outbox, posted } = outboxFor();
  const chart = deferred<WorkerMessage>();
  const made: number[] = [];
  outbox.send(() => chart.promise);
  outbox.stream('stdout', 'b');
  outbox.send(() => {
    made.push(2);
    return display(2);
  });
  mock.timers.tick(50);
  await settle();
  assert.deepEqual(posted, []);
  assert.deepEqual(made, [], 'an output behind a pending one is made only when its turn comes');
  chart.resolve(display(1));
  await outbox.drain();
  assert.deepEqual(posted, [display(1), stdout('b'), display(2)]);
  assert.deepEqual(made, [2]);
});

test('drain sends waiting text without waiting for the timer', async () => {
  const { outbox, posted } = outboxFor();
  outbox.stream('stdout', 'a');
  await outbox.drain();
  assert.deepEqual(posted, [stdout('a')]);
});

test('drain resolves once every output is posted, the outputs and text sent while it waited included', async () => {
  const { outbox, posted } = outboxFor();
  const chart = deferred<WorkerMessage>();
  const second = deferred<WorkerMessage>();
  outbox.send(() => chart.promise);
  let drained = false;
  const draining = outbox.drain().then(() => (drained = true));
  await settle();
  assert.equal(drained, false);
  outbox.stream('stdout', 'late');
  outbox.send(() => second.promise);
  outbox.stream('stdout', 'tail');
  chart.resolve(display(1));
  await settle();
  assert.equal(drained, false, 'drain ended before an output sent while it waited');
  second.resolve(display(2));
  await draining;
  assert.deepEqual(posted, [display(1), stdout('late'), display(2), stdout('tail')]);
});

const failures: Array<{ name: string; behindAnother: boolean; make: () => WorkerMessage | Promise<WorkerMessage> }> = [
  {
    name: 'an async maker that throws',
    behindAnother: false,
    make: async () => {
      throw new Error('no svg');
    },
  },
  {
    name: 'a maker whose promise rejects later',
    behindAnother: false,
    make: () => new Promise((_, reject) => setImmediate(() => reject(new Error('no svg')))),
  },
  {
    name: 'a maker that throws at once, with nothing pending',
    behindAnother: false,
    make: () => {
      throw new Error('no svg');
    },
  },
  {
    name: 'a maker that throws at once, behind an output being made',
    behindAnother: true,
    make: () => {
      throw new Error('no svg');
    },
  },
];

for (const { name, behindAnother, make } of failures) {
  test(`${name} becomes a line on the cell's stderr, in its place, and what follows still goes out`, async () => {
    const { outbox, posted } = outboxFor();
    if (behindAnother) outbox.send(async () => display(1));
    outbox.send(make);
    outbox.send(() => display(2));
    await outbox.drain();
    const before = behindAnother ? [display(1)] : [];
    assert.deepEqual(posted, [...before, stderr('Could not show an output: no svg\n'), display(2)]);
  });
}
