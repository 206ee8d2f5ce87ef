/**
 * The kernel's side of Debug Cell: the worker opens its own inspector on 127.0.0.1 and a random
 * port (a target listed at /json/list, on that address only), closes it again, and runs a cell
 * under the debugger's script path while errors still name the cell. That a debugger attached
 * there stops at a breakpoint is tested inside VS Code (test/integration/debug.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newSession, run } from '../../helpers/kernel';

test('openInspector: a ws:// address on 127.0.0.1 whose target is listed; closed, the port refuses', async () => {
  const session = newSession();
  try {
    const opened = await session.openInspector();
    const url = new URL(opened.url);
    assert.equal(url.protocol, 'ws:');
    assert.equal(url.hostname, '127.0.0.1');
    assert.ok(Number(url.port) > 0);
    const targets = (await (await fetch(`http://127.0.0.1:${url.port}/json/list`)).json()) as {
      webSocketDebuggerUrl: string;
    }[];
    assert.ok(
      targets.some((t) => t.webSocketDebuggerUrl === url.href),
      JSON.stringify(targets),
    );
    // Asked again while open: the same address.
    assert.equal((await session.openInspector()).url, url.href);
    session.closeInspector();
    // A cell after closing runs (the close was handled first) and the port no longer answers.
    assert.equal((await run(session, '1 + 1')).value, '2');
    await assert.rejects(fetch(`http://127.0.0.1:${url.port}/json/list`));
  } finally {
    await session.dispose();
  }
});

test('openInspector names the kernel’s own globals; the lazy ones are not enumerable, so a debugger reads the rest without side effects', async () => {
  const session = newSession();
  try {
    assert.equal((await run(session, 'const mine = 1;')).value, undefined);
    const { kernelGlobals } = await session.openInspector();
    session.closeInspector();
    for (const name of ['setTimeout', 'Array', 'display', '__dirname', '__lstmKernel', 'crypto', 'atob'])
      assert.ok(kernelGlobals.includes(name), `${name} in ${kernelGlobals.join(' ')}`);
    assert.ok(!kernelGlobals.includes('mine'), 'a cell’s variable is the notebook’s');
    // Node's getters that load a module on first read: still there, no longer enumerable.
    const lazy = await run(
      session,
      'Object.keys(globalThis).filter((k) => Object.getOwnPropertyDescriptor(globalThis, k)?.get).join()',
    );
    assert.equal(lazy.value, "''");
    assert.equal((await run(session, 'typeof atob(btoa("x")) + typeof crypto.randomUUID')).value, "'stringfunction'");
  } finally {
    await session.dispose();
  }
});

test('a cell run under a script path: values as usual, errors name the cell, not the path', async () => {
  const session = newSession();
  try {
    const path = '/tmp/notebook.ipynb.cell-7.ts';
    const ok = await session.execute(
      'const seen = 41 + 1;\nseen',
      'Cell 7',
      () => {},
      () => {},
      { scriptPath: path },
    );
    assert.equal(ok.ok, true);
    const failed = await session.execute(
      '\nthrow new Error("boom")',
      'Cell 8',
      () => {},
      () => {},
      { scriptPath: path },
    );
    assert.equal(failed.ok, false);
    assert.match(failed.error?.stack ?? '', /at Cell 8:2:7/);
    assert.ok(!failed.error?.stack.includes(path), failed.error?.stack);
  } finally {
    await session.dispose();
  }
});

test('a session that is shut down rejects a pending openInspector instead of leaving it waiting', async () => {
  const session = newSession();
  const opening = session.openInspector();
  const disposing = session.dispose();
  // Either the worker answered before it went, or the wait is rejected: never a hang.
  await Promise.race([
    opening.then(
      () => 'opened',
      () => 'rejected',
    ),
    new Promise((_, reject) => setTimeout(() => reject(new Error('openInspector hung')), 10_000)),
  ]);
  await disposing;
});

test('Run by Line’s pause before the first line changes no position: a line-1 error keeps its column', async () => {
  const session = newSession();
  try {
    // No debugger is attached here, so the `debugger;` statement does nothing; the mapping is what is checked.
    const failed = await session.execute(
      'throw new Error("first")',
      'Cell 9',
      () => {},
      () => {},
      {
        scriptPath: '/tmp/notebook.ipynb.cell-9.ts',
        pauseAtStart: true,
      },
    );
    assert.match(failed.error?.stack ?? '', /at Cell 9:1:7/);
    const ok = await session.execute(
      'let a = 1;\na += 1;\na',
      'Cell 10',
      () => {},
      () => {},
      {
        scriptPath: '/tmp/notebook.ipynb.cell-10.ts',
        pauseAtStart: true,
      },
    );
    assert.equal(ok.ok, true);
  } finally {
    await session.dispose();
  }
});
