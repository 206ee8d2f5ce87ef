/** Executes run one at a time; a failure with stop_on_error aborts those waiting behind it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExecuteQueue } from '../../../extension/jupyter/execute-queue';

function recorder() {
  const events: string[] = [];
  const request = (name: string, ok: boolean, stopOnError = true) => ({
    stopOnError,
    run: async (replying: () => void) => {
      events.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, 5));
      events.push(`end ${name}`);
      replying();
      return ok;
    },
    abort: async () => {
      events.push(`abort ${name}`);
    },
  });
  return { events, request };
}

const settle = () => new Promise((r) => setTimeout(r, 100));

test('requests run in order, never two at once', async () => {
  const { events, request } = recorder();
  const queue = new ExecuteQueue();
  for (const name of ['a', 'b', 'c']) queue.push(request(name, true));
  await settle();
  assert.deepEqual(events, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
});

test('a failure aborts what waits behind it; later requests run again', async () => {
  const { events, request } = recorder();
  const queue = new ExecuteQueue();
  queue.push(request('fails', false));
  queue.push(request('waiting-1', true));
  queue.push(request('waiting-2', true));
  await settle();
  queue.push(request('later', true));
  await settle();
  assert.deepEqual(events, [
    'start fails',
    'end fails',
    'abort waiting-1',
    'abort waiting-2',
    'start later',
    'end later',
  ]);
});

test('stop_on_error false lets the next one run', async () => {
  const { events, request } = recorder();
  const queue = new ExecuteQueue();
  queue.push(request('fails', false, false));
  queue.push(request('next', true));
  await settle();
  assert.deepEqual(events, ['start fails', 'end fails', 'start next', 'end next']);
});

test('a request that arrives after the failing reply went out (while idle is published) runs', async () => {
  const events: string[] = [];
  const queue = new ExecuteQueue();
  let publishIdle: () => void = () => {};
  queue.push({
    stopOnError: true,
    run: async (replying) => {
      events.push('start fails');
      queue.push({
        stopOnError: true,
        run: async () => (events.push('run queued-before'), true),
        abort: async () => void events.push('abort queued-before'),
      });
      replying();
      events.push('reply fails');
      await new Promise<void>((resolve) => (publishIdle = resolve));
      events.push('idle fails');
      return false;
    },
    abort: async () => void events.push('abort fails'),
  });
  await settle();
  // The client saw the error reply and sends the next cell before the idle status went out.
  queue.push({
    stopOnError: true,
    run: async () => (events.push('run sent-after-reply'), true),
    abort: async () => void events.push('abort sent-after-reply'),
  });
  publishIdle();
  await settle();
  assert.deepEqual(events, ['start fails', 'reply fails', 'idle fails', 'abort queued-before', 'run sent-after-reply']);
});
