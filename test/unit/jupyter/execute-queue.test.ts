/** Executes run one at a time; a failure with stop_on_error aborts those waiting behind it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExecuteQueue } from '../../../extension/jupyter/execute-queue';

function recorder() {
  const events: string[] = [];
  const request = (name: string, ok: boolean, stopOnError = true) => ({
    stopOnError,
    run: async () => {
      events.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, 5));
      events.push(`end ${name}`);
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
