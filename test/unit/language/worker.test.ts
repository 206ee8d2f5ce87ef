/**
 * The language worker (extension/language/worker.ts, compiled to out/) as the extension host
 * drives it, over worker_threads with the build's dist/types: every request answered by id;
 * malformed messages and unknown methods get an error reply naming what was expected, and the
 * worker keeps answering after them.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { CancelledError, LanguageClient } from '../../../extension/language/client';
import type { LanguageResponse } from '../../../protocol/language';
import { CANCELLED, cancellationRing, markCancelled, validateLanguageRequest } from '../../../protocol/language';

const ROOT = join(__dirname, '..', '..', '..', '..');
const TYPES_DIR = join(ROOT, 'dist', 'types');
const folder = mkdtempSync(join(tmpdir(), 'lstm-language-worker-'));
after(() => rmSync(folder, { recursive: true, force: true }));

assert.ok(existsSync(TYPES_DIR), `${TYPES_DIR} is missing: run node esbuild.mjs first (it copies the types)`);
const WORKER = join(ROOT, 'out', 'extension', 'language', 'worker.js');
const ring = cancellationRing();
const worker = new Worker(WORKER, { workerData: { typesDir: TYPES_DIR, cancelled: ring } });
after(() => worker.terminate());

/** Sends a message and waits for the next response (requests here go one at a time). */
function send(message: unknown): Promise<LanguageResponse> {
  return new Promise((resolve) => {
    worker.once('message', resolve);
    worker.postMessage(message);
  });
}

const CELLS = [
  {
    id: 'a',
    languageId: 'typescript',
    text: "import { LSTM } from 'lstm-notebook';\nconst model = new LSTM({ inputSize: 2, hiddenSize: 3 });",
  },
  { id: 'b', languageId: 'typescript', text: 'model.\nconst n: string = 1;' },
];

test('bad messages get error replies that say what was expected, and the worker answers on', async () => {
  assert.deepEqual(await send('junk'), { id: -1, ok: false, error: 'expected a request object, got "junk"' });
  const unknown = await send({ id: 1, method: 'format', params: {} });
  assert.equal(unknown.id, 1);
  assert.equal(unknown.ok, false);
  assert.match(!unknown.ok ? unknown.error : '', /unknown method "format"; expected one of update, close, completions/);
  const badPosition = await send({
    id: 2,
    method: 'hover',
    params: { notebook: 'n', cellId: 'a', position: { line: 'one' } },
  });
  assert.match(
    !badPosition.ok ? badPosition.error : '',
    /hover: params.position must be \{ line, character \} integers/,
  );
  const noNotebook = await send({ id: 3, method: 'diagnostics', params: { notebook: 'never-sent' } });
  assert.match(!noNotebook.ok ? noNotebook.error : '', /no notebook never-sent: send its cells with update first/);
});

test('update, then completions, details, diagnostics and a declaration file, each answered by id', async () => {
  assert.deepEqual(
    await send({ id: 10, method: 'update', params: { notebook: 'n', notebookDir: folder, cells: CELLS } }),
    {
      id: 10,
      ok: true,
      result: null,
    },
  );
  const at = { notebook: 'n', cellId: 'b', position: { line: 0, character: 6 } };
  const completions = await send({ id: 11, method: 'completions', params: at });
  assert.equal(completions.id, 11);
  const names = completions.ok ? (completions.result as { name: string }[]).map((item) => item.name) : [];
  assert.ok(names.includes('forward') && names.includes('stateDict'), names.join(' '));

  const details = await send({ id: 12, method: 'completionDetails', params: { ...at, name: 'forward' } });
  assert.match(details.ok ? JSON.stringify(details.result) : '', /RecurrentModel\.forward\(input/);

  const diagnostics = await send({ id: 13, method: 'diagnostics', params: { notebook: 'n' } });
  const byCell = new Map(diagnostics.ok ? (diagnostics.result as [string, { code: number }[]][]) : []);
  assert.deepEqual(byCell.get('a'), []);
  // 1003: `model.` wants a member name (a syntax error); 2322: a number is no string.
  assert.deepEqual(
    byCell.get('b')?.map((d) => d.code),
    [1003, 2322],
  );

  // One cell at a time (what the extension asks, so completions are not queued behind a whole pass).
  const oneCell = await send({ id: 18, method: 'cellDiagnostics', params: { notebook: 'n', cellId: 'b' } });
  assert.deepEqual(oneCell.ok ? (oneCell.result as { code: number }[]).map((d) => d.code) : oneCell, [1003, 2322]);
  const gone = await send({ id: 19, method: 'cellDiagnostics', params: { notebook: 'n', cellId: 'deleted' } });
  assert.deepEqual(gone, { id: 19, ok: true, result: [] });
  const noCell = await send({ id: 20, method: 'cellDiagnostics', params: { notebook: 'n' } });
  assert.equal(noCell.ok, false);
  assert.match(noCell.ok ? '' : noCell.error, /cellId/);

  const lib = await send({
    id: 14,
    method: 'readFile',
    params: { fileName: '/__lstm_notebook__/lib/lib.es2022.d.ts' },
  });
  assert.match(lib.ok ? String(lib.result) : '', /reference lib="es2021"/);
  const outside = await send({ id: 15, method: 'readFile', params: { fileName: '/etc/hostname' } });
  assert.deepEqual(outside, { id: 15, ok: true, result: null }, 'the worker reads only its own declarations');

  assert.deepEqual(await send({ id: 16, method: 'close', params: { notebook: 'n' } }), {
    id: 16,
    ok: true,
    result: null,
  });
  assert.equal((await send({ id: 17, method: 'diagnostics', params: { notebook: 'n' } })).ok, false);
});

test('validateLanguageRequest names the missing id and the cells’ shape', () => {
  assert.deepEqual(validateLanguageRequest({ method: 'close', params: {} }), {
    id: undefined,
    error: 'expected an integer id, got nothing',
  });
  assert.deepEqual(
    validateLanguageRequest({
      id: 4,
      method: 'update',
      params: { notebook: 'n', notebookDir: '/', cells: [{ id: 1 }] },
    }),
    {
      id: 4,
      error: 'update: params.cells must be an array of { id, languageId, text } strings, got [{"id":1}]',
    },
  );
  assert.ok('request' in validateLanguageRequest({ id: 5, method: 'close', params: { notebook: 'n' } }));
});

test('a request marked cancelled in the shared ring is not answered but refused as cancelled; the next one is answered', async () => {
  await send({ id: 30, method: 'update', params: { notebook: 'c', notebookDir: folder, cells: CELLS } });
  const at = { notebook: 'c', cellId: 'b', position: { line: 0, character: 6 } };
  markCancelled(ring, 31);
  assert.deepEqual(await send({ id: 31, method: 'completions', params: at }), { id: 31, ok: false, error: CANCELLED });
  const next = await send({ id: 32, method: 'completions', params: at });
  assert.ok(next.ok && (next.result as { name: string }[]).some((item) => item.name === 'forward'));
  // The ring holds ids, not slots: id 31 + 1024 shares 31's slot and is not cancelled by it.
  assert.equal((await send({ id: 31 + 1024, method: 'completions', params: at })).ok, true);
});

/** A cancellation the test fires by hand (vscode.CancellationToken's shape). */
function cancellation() {
  const listeners: (() => void)[] = [];
  const token = {
    isCancellationRequested: false,
    onCancellationRequested: (listener: () => void) => {
      listeners.push(listener);
      return { dispose: () => listeners.splice(listeners.indexOf(listener), 1) };
    },
  };
  return {
    token,
    cancel: () => {
      token.isCancellationRequested = true;
      [...listeners].forEach((l) => l());
    },
    listening: () => listeners.length,
  };
}

test('the client: a cancelled request rejects with CancelledError at once, later requests answer, nothing is logged', async () => {
  const logged: string[] = [];
  const client = new LanguageClient(WORKER, { typesDir: TYPES_DIR }, (m) => logged.push(m));
  after(() => client.dispose());
  const params = { notebook: 'k', notebookDir: folder, cells: CELLS };
  client.update(params).catch(() => {});
  // The first diagnostics of a notebook take the cold checker's time; the completion queues behind them.
  const slow = client.request('diagnostics', { notebook: 'k' });
  const { token, cancel, listening } = cancellation();
  const queued = client.request(
    'completions',
    { notebook: 'k', cellId: 'b', position: { line: 0, character: 6 } },
    token,
  );
  cancel();
  await assert.rejects(queued, CancelledError);
  assert.equal(listening(), 0, 'the listener is gone once the request settled');
  assert.ok((await slow).length === 2, 'the uncancelled request is answered');
  // Already cancelled: never sent.
  await assert.rejects(
    client.request('hover', { notebook: 'k', cellId: 'b', position: { line: 0, character: 1 } }, token),
    CancelledError,
  );
  const answered = await client.request('completions', {
    notebook: 'k',
    cellId: 'b',
    position: { line: 0, character: 6 },
  });
  assert.ok(answered.some((item) => item.name === 'forward'));
  assert.deepEqual(logged, [], 'a cancelled request is not an error in the log');
});
