/**
 * Interrupt, restart and failure: a stopped cell keeps every variable; a worker that does not
 * answer, runs out of heap or exits is replaced and the cell says that state was lost.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KernelSession, type KernelState } from '../../../extension/kernel/session';
import { newSession, run } from '../../helpers/kernel';

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("interrupting the user's own `while (true) {}` ends it within a second and keeps its variables", async () => {
  const session = newSession();
  try {
    await run(session, 'let spins = 0; const before = "kept";');
    const running = run(session, 'while (true) { spins++ }');
    await later(300);
    const asked = Date.now();
    session.interrupt();
    const r = await running;
    const took = Date.now() - asked;
    assert.equal(r.ok, false);
    assert.equal(r.interrupted, true);
    assert.equal(r.stateLost, false);
    assert.equal(r.error?.name, 'Interrupted');
    assert.ok(took < 1000, `interrupt took ${took} ms`);
    assert.equal((await run(session, '[before, spins > 1000]')).value, "[ 'kept', true ]");
  } finally {
    await session.dispose();
  }
});

test('interrupting a training loop in the core stops it between steps; the model is kept', async () => {
  const session = newSession();
  try {
    await run(
      session,
      [
        "import { seed, LSTM, Linear, Adam, train, tasks } from 'lstm-notebook';",
        'seed(3);',
        'const data = tasks.adding({ length: 30, count: 4000 });',
        'const model = new LSTM({ inputSize: 2, hiddenSize: 16 });',
        'const head = new Linear(16, 1);',
        'let steps = 0;',
      ].join('\n'),
    );
    const running = run(
      session,
      'await train([model, head], data, { epochs: 1000, batchSize: 16, optimizer: new Adam(1e-2), onStep: () => { steps++ } });',
    );
    await later(1500);
    const asked = Date.now();
    session.interrupt();
    const r = await running;
    assert.equal(r.error?.name, 'Interrupted');
    assert.ok(Date.now() - asked < 1000, 'the training loop took more than a second to stop');
    const after = await run(session, '[steps > 0, model.toString(), typeof head]');
    assert.match(after.value!, /^\[ true, 'LSTM\(2 → 16\)', 'object' \]$/);
  } finally {
    await session.dispose();
  }
});

test('interrupting a sweep stops it between steps; the runs finished so far are kept', async () => {
  const session = newSession();
  try {
    await run(
      session,
      [
        "import { LSTM, Linear, Adam, tasks, sweep } from 'lstm-notebook';",
        'const [tr, te] = tasks.adding({ length: 30, count: 2000, seed: 1 }).split(0.9);',
        'let done = null;',
      ].join('\n'),
    );
    const running = run(
      session,
      [
        'await sweep({',
        '  variants: { lstm: (rng) => [new LSTM({ inputSize: 2, hiddenSize: 16, rng }), new Linear(16, 1, { rng })] },',
        '  seeds: 1000, task: { train: tr, test: te }, steps: 20, optimizer: () => new Adam(1e-2),',
        '  onRun: (_, results) => { done = results },',
        '});',
      ].join('\n'),
    );
    await later(2000);
    const asked = Date.now();
    session.interrupt();
    const r = await running;
    assert.equal(r.error?.name, 'Interrupted');
    assert.ok(Date.now() - asked < 1000, 'the sweep took more than a second to stop');
    const after = await run(session, 'done.runs.length > 0 && done.runs.length < 1000');
    assert.equal(after.value, 'true');
  } finally {
    await session.dispose();
  }
});

test('interrupting a cell that awaits forever ends it; cells queued behind it are cancelled', async () => {
  const session = newSession();
  try {
    await run(session, 'const x = 5;');
    const waiting = run(session, 'await new Promise(() => {});');
    const queued = run(session, 'const never = 1;');
    await later(200);
    session.interrupt();
    assert.equal((await waiting).error?.name, 'Interrupted');
    const q = await queued;
    assert.equal(q.ok, false);
    assert.match(q.error!.message, /did not run/);
    assert.equal((await run(session, '[x, typeof never]')).value, "[ 5, 'undefined' ]");
  } finally {
    await session.dispose();
  }
});

test('a worker that ignores the interrupt is restarted after the grace period, and says state was lost', async () => {
  const session = newSession({ interruptGraceMs: 500 });
  try {
    await run(session, 'const lost = 1;');
    // Code built with new Function is not rewritten, so its loop never polls the interrupt flag.
    const running = run(session, "new Function('while (true) {}')()");
    await later(200);
    session.interrupt();
    const r = await running;
    assert.equal(r.stateLost, true);
    assert.equal(r.interrupted, true);
    assert.match(r.error!.message, /did not stop within 0.5 s .* restarted: every variable was lost/);
    assert.equal((await run(session, 'typeof lost')).value, "'undefined'");
  } finally {
    await session.dispose();
  }
});

test('restart gives a fresh kernel, reports its states, and a running cell says state was lost', async () => {
  const states: KernelState[] = [];
  const session = newSession({ onStateChange: (s) => states.push(s) });
  try {
    await session.whenReady();
    await run(session, 'const gone = 1;');
    const running = run(session, 'await new Promise(() => {});');
    await later(100);
    await session.restart();
    const r = await running;
    assert.equal(r.stateLost, true);
    assert.match(r.error!.message, /restarted while this cell ran: every variable was lost/);
    assert.equal((await run(session, 'typeof gone')).value, "'undefined'");
    assert.deepEqual(states.slice(0, 6), ['idle', 'busy', 'idle', 'busy', 'restarting', 'idle']);
  } finally {
    await session.dispose();
  }
});

test('running out of heap ends the cell with a clear error and a fresh kernel, the host unharmed', async () => {
  const session = newSession({ heapLimitMb: 64 });
  try {
    await run(session, 'const before = 1;');
    const r = await run(
      session,
      'const hoard: number[][] = []; while (true) hoard.push(new Array(100000).fill(Math.random()));',
    );
    assert.equal(r.ok, false);
    assert.equal(r.stateLost, true);
    assert.equal(r.error?.name, 'OutOfMemory');
    assert.match(r.error!.message, /ran out of memory \(heap limit 64 MiB\)/);
    assert.equal((await run(session, '1 + 1')).value, '2');
  } finally {
    await session.dispose();
  }
});

test('memory outside the heap past the limit in a loop ends the cell with a clear error and a fresh kernel, the host unharmed', async () => {
  const session = newSession({ heapLimitMb: 128 });
  try {
    await run(session, 'const before = 1;');
    const hostBefore = process.memoryUsage().rss;
    // Buffers, which the typed-array constructors' guard does not see (typed arrays and tensors
    // are refused: see below); the loop's check does. Written, not only allocated: untouched
    // pages would not show in the process's memory.
    const r = await run(session, 'const hoard = [];\nwhile (true) { hoard.push(Buffer.alloc(8e6).fill(1)); }');
    assert.equal(r.ok, false);
    assert.equal(r.stateLost, true);
    assert.equal(r.error?.name, 'OutOfMemory');
    assert.match(
      r.error!.message,
      /tensors and typed arrays passed the memory limit \(128 MiB, lstmNotebook\.kernel\.heapLimitMb\) and it was restarted/,
    );
    const grew = process.memoryUsage().rss - hostBefore;
    assert.ok(
      grew < 768 * 2 ** 20,
      `the process grew by ${(grew / 2 ** 20).toFixed(0)} MiB for a 128 MiB limit (it reached 5 GB before)`,
    );
    assert.equal((await run(session, 'typeof before')).value, "'undefined'");
  } finally {
    await session.dispose();
  }
});

test('a cell that exits the worker ends with an error and a fresh kernel', async () => {
  const session = newSession();
  try {
    const r = await run(session, 'process.exit(3)');
    assert.equal(r.stateLost, true);
    assert.match(r.error!.message, /stopped unexpectedly \(the kernel worker exited with code 3\)/);
    assert.equal((await run(session, '"alive"')).value, "'alive'");
  } finally {
    await session.dispose();
  }
});

test('a session whose worker file is missing fails its cells with the reason, without retrying forever', async () => {
  const session = new KernelSession({ workerPath: '/nonexistent/worker.js', notebookDir: process.cwd() });
  const r = await session.execute('1', 'Cell 1');
  assert.equal(r.ok, false);
  assert.match(r.error!.message, /could not start/);
  await session.dispose();
});

test('a cell posting malformed messages to parentPort cannot crash the host: they are logged and ignored, the cell ends normally', async () => {
  const logged: string[] = [];
  const session = newSession({ onLog: (message) => logged.push(message) });
  try {
    const r = await run(
      session,
      [
        "const { parentPort } = require('node:worker_threads');",
        "for (const m of [null, 7, { type: 'evil' }, { type: 'stream', id: 1 }, { type: 'display', id: 1, displayId: 3 }, { type: 'error', id: 1, error: 'x' }, { type: 'clear', id: 1 }, { type: 'clear', id: 1, wait: 'yes' }, { type: 'input', id: 1, prompt: 5, password: false }, { type: 'variables', request: 1, rows: [{ name: 'x' }] }, { type: 'child', pid: -1 }]) parentPort.postMessage(m);",
        "'still here'",
      ].join('\n'),
    );
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(r.value, "'still here'");
    assert.equal(logged.length, 11, logged.join('\n'));
    assert.match(
      logged[2],
      /ignored a message from the kernel worker: expected a type of ready, inspector, child, variables, stream, display, clear, input, result, error or done, got \{"type":"evil"/,
    );
    assert.match(logged[6], /a malformed clear message \(expected a boolean "wait"\) \{"type":"clear","id":1\}/);
    assert.match(
      logged[7],
      /a malformed clear message \(expected a boolean "wait"\) \{"type":"clear","id":1,"wait":"yes"\}/,
    );
    // A forged question is refused before anyone is asked.
    assert.match(logged[8], /a malformed input message \(expected a prompt string and a boolean "password"\)/);
    // Forged rows are not passed on to the variables view.
    assert.match(
      logged[9],
      /a malformed variables message \(expected a numeric "request" and rows of name, type, size and value strings\)/,
    );
    // A forged process id is never killed: -1 would be every process the user may signal.
    assert.match(logged[10], /a malformed child message \(expected a process id above 1, or null\)/);
    assert.equal((await run(session, '1 + 1')).value, '2');
  } finally {
    await session.dispose();
  }
});

test('an error from a timer of an earlier cell is never lost: while idle it opens the next cell, during a cell it goes to that cell', async () => {
  const session = newSession();
  try {
    await run(session, "setTimeout(() => { throw new Error('late boom'); }, 50);\n'scheduled'");
    await later(400);
    const next = await run(session, "'next'");
    assert.match(next.stderr, /^While no cell was running: Uncaught in a timer or callback: Error: late boom/);
    assert.equal(next.value, "'next'");
    await run(session, "setTimeout(() => { Promise.reject(new Error('rejected later')); }, 50);\n'x'");
    const during = await run(session, "await new Promise((r) => setTimeout(r, 400));\n'waited'");
    assert.match(during.stderr, /^Unhandled promise rejection: Error: rejected later/);
    assert.equal(during.value, "'waited'");
    assert.equal((await run(session, '1')).stderr, '', 'each error is shown once');
  } finally {
    await session.dispose();
  }
});

test('interrupting long core calls — evaluate, a forward over a long sequence, a data set builder, a gradient check — stops within a second and keeps every variable', async () => {
  const session = newSession();
  try {
    await run(
      session,
      [
        "import { LSTM, Linear, Tensor, Tape, evaluate, gradCheck, mseLoss, tasks } from 'lstm-notebook';",
        'const model = new LSTM({ inputSize: 2, hiddenSize: 64 });',
        'const head = new Linear(64, 1);',
        'const big = tasks.adding({ length: 200, count: 60000 });',
        "const small = new LSTM({ inputSize: 2, hiddenSize: 24, dtype: 'float64' });",
        "const x64 = Tensor.randn([400, 1, 2], { dtype: 'float64' });",
        'const weightsBefore = JSON.stringify(small.stateDict());',
      ].join('\n'),
    );
    const cells = [
      'evaluate([model, head], big)',
      'model.forward(Tensor.randn([400000, 1, 2]))',
      'tasks.adding({ length: 400, count: 1000000 })',
      "gradCheck((tape) => mseLoss(small.forward(x64, { tape }).output, Tensor.zeros([400, 1, 24], 'float64'), { tape }), Object.fromEntries(small.namedParameters()))",
    ];
    for (const cell of cells) {
      const running = run(session, cell);
      await later(1200);
      const asked = Date.now();
      session.interrupt();
      const r = await running;
      const took = Date.now() - asked;
      assert.equal(r.error?.name, 'Interrupted', `${cell}: ${JSON.stringify(r.error)}`);
      assert.equal(r.stateLost, false, cell);
      assert.ok(took < 1000, `${cell}: stopping took ${took} ms`);
    }
    const after = await run(
      session,
      '[model.toString(), big.size, JSON.stringify(small.stateDict()) === weightsBefore]',
    );
    assert.equal(after.value, "[ 'LSTM(2 → 64)', 60000, true ]");
  } finally {
    await session.dispose();
  }
});

test('a straight-line cell of big typed arrays is refused at the memory limit with the sizes and the limit; the kernel and its variables stay, the host unharmed', async () => {
  const session = newSession({ heapLimitMb: 128 });
  try {
    await run(session, "const before = 'kept';\nconst small = new Float32Array(1000).fill(3);");
    const hostBefore = process.memoryUsage().rss;
    // No loop of its own, so no loop check: before the guard this went far past the limit.
    // Written, not only allocated: untouched pages would not show in the process's memory.
    const r = await run(
      session,
      [
        'const a = new Float32Array(12e6).fill(1);',
        'const b = new Float32Array(12e6).fill(1);',
        'const c = new Float64Array(12e6).fill(1);',
        'const d = new Float64Array(12e6).fill(1);',
      ].join('\n'),
    );
    assert.equal(r.ok, false);
    assert.equal(r.stateLost, false);
    assert.equal(r.error?.name, 'RangeError');
    assert.match(
      r.error!.message,
      /^new Float64Array\(12000000\) would take 92 MiB; \d+ MiB are in use and the kernel's memory limit is 128 MiB \(lstmNotebook\.kernel\.heapLimitMb\): nothing was allocated/,
    );
    const grew = process.memoryUsage().rss - hostBefore;
    assert.ok(grew < 256 * 2 ** 20, `the process grew by ${(grew / 2 ** 20).toFixed(0)} MiB for a 128 MiB limit`);
    assert.equal(
      (await run(session, '[before, small[999], a.length, b.length, typeof c, typeof d]')).value,
      "[ 'kept', 3, 12000000, 12000000, 'undefined', 'undefined' ]",
    );
    // Freed memory is usable again (after a garbage collection the guard runs itself).
    const again = await run(session, 'a = null; b = null;\nconst e = new Float64Array(12e6).fill(2);\ne[0]');
    assert.equal(again.value, '2', JSON.stringify(again.error));
  } finally {
    await session.dispose();
  }
});

test('a loop of tensors and typed arrays is refused at the one that would pass the limit; what it made so far is kept', async () => {
  const session = newSession({ heapLimitMb: 128 });
  try {
    const r = await run(
      session,
      "import { Tensor } from 'lstm-notebook';\nconst hoard = [];\nwhile (true) { hoard.push(new Float64Array(1e6).fill(1)); hoard.push(Tensor.full([1000, 250], 2)); }",
    );
    assert.equal(r.ok, false);
    assert.equal(r.stateLost, false);
    assert.match(
      r.error!.message,
      /^new Float(32|64)Array\(\d+\) would take \d\.\d MiB; \d+ MiB are in use and the kernel's memory limit is 128 MiB/,
    );
    assert.equal((await run(session, 'hoard.length > 10')).value, 'true');
  } finally {
    await session.dispose();
  }
});

test('under the memory guard: views allocate nothing and pass, from/of/instanceof/subclasses/Buffers and the core arrays work as before', async () => {
  const session = newSession({ heapLimitMb: 128 });
  try {
    const r = await run(
      session,
      [
        "import { Tensor } from 'lstm-notebook';",
        'const big = new Float32Array(25e6).fill(1);',
        'const views = [new Float32Array(big.buffer), new Uint8Array(big.buffer, 4, 8), new DataView(big.buffer), big.subarray(5)];',
        'class Scaled extends Float64Array { total() { return this.reduce((s, x) => s + x, 0) } }',
        'const t = Tensor.zeros([2, 3]);',
        '[',
        '  views.map((v) => v.byteLength),',
        '  Float32Array.from([1, 2, 3]), Float64Array.of(4, 5), Scaled.from([1, 2, 3]).total(), new Scaled(2) instanceof Float64Array,',
        '  Buffer.alloc(4) instanceof Uint8Array, Buffer.from(big.buffer, 0, 4) instanceof Uint8Array,',
        '  t.data instanceof Float32Array, big instanceof Float32Array, ArrayBuffer.isView(big),',
        '  Float32Array.name, Float32Array.length, Float32Array.BYTES_PER_ELEMENT, Object.getPrototypeOf(big) === Float32Array.prototype,',
        '  new SharedArrayBuffer(8).byteLength, new BigInt64Array(2).length,',
        ']',
      ].join('\n'),
    );
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(
      r.value!.replace(/\s+/g, ' '),
      "[ [ 100000000, 8, 100000000, 99999980 ], Float32Array(3) [ 1, 2, 3 ], Float64Array(2) [ 4, 5 ], 6, true, true, true, true, true, true, 'Float32Array', 3, 4, true, 8, 2 ]",
    );
    // The static methods and subclasses allocate through the guard too.
    const refused = await run(session, 'Float32Array.from({ length: 30e6 })');
    assert.match(refused.error!.message, /^new Float32Array\(30000000\) would take 114 MiB/);
    const called = await run(session, 'Float32Array(3)');
    assert.equal(called.error?.name, 'TypeError', 'without new, the constructor refuses as it did');
    assert.equal((await run(session, 'big.length')).value, '25000000');
  } finally {
    await session.dispose();
  }
});

test('what the constructors cannot see — a Buffer.alloc hoard in straight-line code — is stopped after the statement that passes the limit', async () => {
  const session = newSession({ heapLimitMb: 128 });
  try {
    const hostBefore = process.memoryUsage().rss;
    const r = await run(
      session,
      [
        'const h1 = Buffer.alloc(50e6).fill(1);',
        'const h2 = Buffer.alloc(50e6).fill(1);',
        'const h3 = Buffer.alloc(50e6).fill(1);',
        'const h4 = Buffer.alloc(50e6).fill(1);',
        'const h5 = Buffer.alloc(50e6).fill(1);',
        "console.log('never');",
      ].join('\n'),
    );
    assert.equal(r.ok, false);
    assert.equal(r.stateLost, true);
    assert.equal(r.stdout, '');
    assert.match(
      r.error!.message,
      /tensors and typed arrays passed the memory limit \(128 MiB, lstmNotebook\.kernel\.heapLimitMb\) and it was restarted/,
    );
    const grew = process.memoryUsage().rss - hostBefore;
    assert.ok(grew < 256 * 2 ** 20, `the process grew by ${(grew / 2 ** 20).toFixed(0)} MiB for a 128 MiB limit`);
    assert.equal((await run(session, '1 + 1')).value, '2');
  } finally {
    await session.dispose();
  }
});
