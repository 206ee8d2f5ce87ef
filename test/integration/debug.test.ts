/**
 * Debug Cell inside a real VS Code, with its own JavaScript debugger (js-debug) attached to the
 * kernel worker: a breakpoint set in a cell stops there, the stack names the cell at the right
 * line, the paused frame's values are read and evaluated, and continuing finishes the cell with
 * its normal output. Interrupting a paused cell ends the debug session and the cell, and the
 * kernel keeps its variables.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openNotebook, runCells, text, waitFor } from './notebook-helpers';

interface Stopped {
  session: vscode.DebugSession;
  threadId: number;
}

/**
 * Watches js-debug's sessions: `stopped` resolves with the first `stopped` event, `next()` with
 * each following one in turn; `ended` names the sessions terminated since.
 */
/** The DAP messages of the debug sessions watched, for a failure's message. */
const traffic: string[] = [];
/** Debug sessions started and not terminated yet, by id: `name mark`. */
const live = new Map<string, string>();
vscode.debug.onDidStartDebugSession((s) =>
  live.set(s.id, `${s.parentSession ? 'child' : 'root'} ${s.name} ${JSON.stringify(s.configuration.__lstmNotebook)}`),
);
vscode.debug.onDidTerminateDebugSession((s) => live.delete(s.id));

function nextStop(): { stopped: Promise<Stopped>; next(): Promise<Stopped>; ended: string[]; dispose(): void } {
  const stops: Stopped[] = [];
  const waiting: ((stop: Stopped) => void)[] = [];
  const resolve = (stop: Stopped) => {
    const waiter = waiting.shift();
    if (waiter) waiter(stop);
    else stops.push(stop);
  };
  const next = () => {
    const stop = stops.shift();
    return stop ? Promise.resolve(stop) : new Promise<Stopped>((r) => waiting.push(r));
  };
  const stopped = next();
  const ended: string[] = [];
  const terminated = vscode.debug.onDidTerminateDebugSession((session) => ended.push(session.name));
  const registration = vscode.debug.registerDebugAdapterTrackerFactory('pwa-node', {
    createDebugAdapterTracker: (session) => ({
      onWillReceiveMessage: (message: { type: string; command?: string }) =>
        traffic.push(`${session.parentSession ? 'child' : 'root'} ← ${message.command}`),
      onDidSendMessage: (message: { type: string; event?: string; command?: string; body?: { threadId: number } }) => {
        traffic.push(`${session.parentSession ? 'child' : 'root'} → ${message.event ?? message.command}`);
        if (message.type === 'event' && message.event === 'stopped' && message.body)
          resolve({ session, threadId: message.body.threadId });
      },
    }),
  });
  return {
    stopped,
    next,
    ended,
    dispose: () => {
      registration.dispose();
      terminated.dispose();
    },
  };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)),
  ]);
}

const MIME_GATES = 'application/vnd.lstm-notebook.gates+json';
const MIME_STATES = 'application/vnd.lstm-notebook.states+json';

interface Frame {
  id: number;
  line: number;
  source?: { path?: string; name?: string };
}

describe('Debug Cell', function () {
  this.timeout(120_000);
  afterEach(async () => {
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await vscode.debug.stopDebugging(); // a failed test must not leave a paused kernel to the next
  });

  it('stops at a breakpoint in the cell: the frame is the cell’s line, its values read, continue finishes the cell', async () => {
    // One pass: the breakpoint inside the loop is hit once.
    const { cell, watch, running, stopped } = await debugAtThirdLine(
      'const base = 40;',
      'let total = base;\nfor (let i = 0; i < 1; i++) {\n  total += i + 3;\n}\ntotal',
    );
    try {
      const { session, threadId } = await stopped;
      const { stackFrames } = (await session.customRequest('stackTrace', { threadId })) as { stackFrames: Frame[] };
      const top = stackFrames[0];
      assert.equal(top.source?.path, cell.document.uri.toString(), JSON.stringify(stackFrames.slice(0, 3)));
      assert.equal(top.source?.name, 'Cell 2');
      assert.equal(top.line, 3);
      const evaluated = (await session.customRequest('evaluate', {
        expression: 'total + i * 100 + base',
        frameId: top.id,
        context: 'repl',
      })) as { result: string };
      assert.equal(evaluated.result, '80', 'total 40, i 0, base 40 from the earlier cell');
      // The block's scope shows the loop variable.
      const { scopes } = (await session.customRequest('scopes', { frameId: top.id })) as {
        scopes: { name: string; variablesReference: number }[];
      };
      const names: string[] = [];
      for (const scope of scopes.slice(0, 2)) {
        const { variables } = (await session.customRequest('variables', {
          variablesReference: scope.variablesReference,
        })) as { variables: { name: string; value: string }[] };
        names.push(...variables.map((v) => `${v.name}=${v.value}`));
      }
      assert.ok(names.includes('i=0'), names.join(' '));

      await session.customRequest('continue', { threadId });
      await within(Promise.resolve(running), 30_000, 'the cell to finish');
      await waitFor(() => cell.executionSummary?.success === true, 10_000, 'the cell to succeed');
      assert.match(text(cell), /43/);
      await waitFor(() => watch.ended.includes('Cell 2'), 10_000, 'the debug session to end');
    } finally {
      watch.dispose();
    }
  });

  it('Run by Line stops before the first line and steps one line at a time; continue runs the rest', async () => {
    const notebook = await openNotebook(['let a = 1;\na += 1;\na += 10;\na']);
    const cell = notebook.cellAt(0);
    const watch = nextStop();
    try {
      const running = vscode.commands.executeCommand('lstm-notebook.runByLine', cell);
      const first = await within(watch.stopped, 60_000, 'the pause before the first line');
      const lines = [(await topFrame(first)).line];
      assert.equal((await topFrame(first)).source?.path, cell.document.uri.toString());
      // One step by DAP, one by the cell toolbar's Run Next Line.
      await settle();
      await first.session.customRequest('next', { threadId: first.threadId });
      lines.push((await topFrame(await within(watch.next(), 10_000, 'step 1'))).line);
      await settle();
      await vscode.commands.executeCommand('lstm-notebook.runNextLine');
      lines.push((await topFrame(await within(watch.next(), 10_000, 'step 2'))).line);
      assert.deepEqual(lines, [1, 2, 3], 'one cell line per step');
      const top = await topFrame(first);
      const value = (await first.session.customRequest('evaluate', {
        expression: 'a',
        frameId: top.id,
        context: 'repl',
      })) as { result: string };
      assert.equal(value.result, '2', 'line 3 has not run yet');
      await vscode.commands.executeCommand('lstm-notebook.continueRunByLine'); // Ctrl+Enter
      await within(Promise.resolve(running), 30_000, 'the cell to finish');
      await waitFor(() => cell.executionSummary?.success === true, 10_000, 'the cell to succeed');
      assert.match(text(cell), /12/);
    } finally {
      watch.dispose();
    }
  });

  it('gates while paused: drawn into the running cell’s output, redrawn after a step, kept when the cell ends', async () => {
    const GATES = 'application/vnd.lstm-notebook.gates+json';
    const gatesOutputs = (cell: vscode.NotebookCell) =>
      cell.outputs
        .flatMap((o) => o.items)
        .filter((i) => i.mime === GATES)
        .map((i) => new TextDecoder().decode(i.data));
    const { cell, watch, running, stopped } = await debugAtThirdLine(
      "import { LSTM, Tensor, seed, plot } from 'lstm-notebook';\nseed(1);\n" +
        'const model = new LSTM({ inputSize: 2, hiddenSize: 4 });\n' +
        'const x = Tensor.randn([5, 1, 2]);\nconst x2 = Tensor.randn([5, 1, 2]);',
      [
        'let out = model.forward(x, { trace: true });',
        'let marker = 0;',
        'marker = 1;',
        'out = model.forward(x2, { trace: true });',
        'marker = 2;',
        'display(plot.gates(out.trace));',
      ].join('\n'),
    );
    try {
      const paused = await stopped;
      await waitFor(
        () => vscode.debug.activeStackItem instanceof vscode.DebugStackFrame,
        10_000,
        'the paused frame to be the active stack item',
      );
      await vscode.commands.executeCommand('lstm-notebook.showGatesWhilePaused', { variable: { evaluateName: 'out' } });
      await waitFor(() => gatesOutputs(cell).length === 1, 10_000, 'the gates in the paused cell’s output');
      const before = gatesOutputs(cell)[0];
      assert.equal(JSON.parse(before).kind, 'gates');
      // Two steps: `out` is now the forward of x2; the chart is redrawn in place.
      for (let step = 0; step < 2; step++) {
        await settle();
        await paused.session.customRequest('next', { threadId: paused.threadId });
        await within(watch.next(), 10_000, `step ${step + 1}`);
      }
      await waitFor(() => gatesOutputs(cell)[0] !== before, 10_000, 'the chart to be redrawn after the steps');
      assert.equal(gatesOutputs(cell).length, 1, 'redrawn in place, not appended');
      await paused.session.customRequest('continue', { threadId: paused.threadId });
      await within(Promise.resolve(running), 30_000, 'the cell to finish');
      await waitFor(() => cell.executionSummary?.success === true, 10_000, 'the cell to succeed');
      // Kept as drawn, and equal to plot.gates of the same trace drawn by the cell itself.
      const [whilePaused, byTheCell] = gatesOutputs(cell);
      assert.deepEqual(JSON.parse(whilePaused), JSON.parse(byTheCell));
    } finally {
      watch.dispose();
    }
  });

  it('the variables view describes tensors and models; a model’s gates and states are drawn from its last input', async () => {
    const payloads = (cell: vscode.NotebookCell, mime: string) =>
      cell.outputs
        .flatMap((o) => o.items)
        .filter((i) => i.mime === mime)
        .map((i) => JSON.parse(new TextDecoder().decode(i.data)) as { title: string; panels?: unknown });
    const { cell, watch, running, stopped } = await debugAtThirdLine(
      "import { LSTM, Tensor, seed, plot } from 'lstm-notebook';\nseed(3);\n" +
        'const model = new LSTM({ inputSize: 2, hiddenSize: 4 });\nconst x = Tensor.from([[[0.5, -1]], [[2, 0.25]], [[1, 1]]]);',
      [
        'model.forward(x);',
        'let step = 1;',
        'step = 2;',
        'display(plot.gates(model.forward(x, { trace: true }).trace));',
      ].join('\n'),
    );
    try {
      const paused = await stopped;
      const top = await topFrame(paused);
      const { scopes } = (await paused.session.customRequest('scopes', { frameId: top.id })) as {
        scopes: { name: string; variablesReference: number; expensive?: boolean }[];
      };
      // The cell's top-level names are the kernel worker's globals: the Notebook scope lists them
      // first, Node's own globals in one group after them.
      const variablesOf = async (variablesReference: number) =>
        (
          (await paused.session.customRequest('variables', { variablesReference })) as {
            variables: { name: string; value: string; variablesReference: number }[];
          }
        ).variables;
      const notebookScope = scopes.find((s) => s.name === 'Notebook');
      assert.ok(notebookScope, scopes.map((s) => s.name).join());
      const notebook = await variablesOf(notebookScope.variablesReference);
      assert.deepEqual(
        notebook.map((v) => v.name),
        ['LSTM', 'model', 'plot', 'seed', 'step', 'Tensor', 'x', 'Node.js globals'],
      );
      const shown = new Map(notebook.map((v) => [v.name, v.value]));
      assert.equal(shown.get('model'), 'LSTM(2 → 4)');
      assert.equal(shown.get('x'), 'Tensor [3, 1, 2] float32 [0.5000, -1.0000, 2.0000, 0.2500, 1.0000, 1.0000]');
      const nodeGlobals = await variablesOf(notebook.at(-1)!.variablesReference);
      const names = nodeGlobals.map((v) => v.name);
      for (const name of ['setTimeout', 'Array', 'display', '__lstmKernel', '[[Prototype]]'])
        assert.ok(names.includes(name), `${name} in ${names.join(' ')}`);
      assert.ok(!names.includes('model'));
      assert.equal(shown.get('Node.js globals'), `${nodeGlobals.length} names`);

      await waitFor(
        () => vscode.debug.activeStackItem instanceof vscode.DebugStackFrame,
        10_000,
        'the paused frame to be the active stack item',
      );
      await vscode.commands.executeCommand('lstm-notebook.showGatesWhilePaused', {
        variable: { evaluateName: 'model' },
      });
      await vscode.commands.executeCommand('lstm-notebook.showStatesWhilePaused', {
        variable: { evaluateName: 'model' },
      });
      await waitFor(
        () => payloads(cell, MIME_GATES).length === 1 && payloads(cell, MIME_STATES).length === 1,
        10_000,
        'the model’s gates and states in the paused cell’s output',
      );
      assert.match(payloads(cell, MIME_GATES)[0].title, /^LSTM\(2 → 4\) gates on its last input \(current weights\)/);
      assert.match(payloads(cell, MIME_STATES)[0].title, /^LSTM\(2 → 4\) states on its last input/);

      await paused.session.customRequest('continue', { threadId: paused.threadId });
      await within(Promise.resolve(running), 30_000, 'the cell to finish');
      await waitFor(() => cell.executionSummary?.success === true, 10_000, 'the cell to succeed');
      // The paused drawing shows the same gates as the cell's own plot.gates of the same input.
      const [whilePaused, byTheCell] = payloads(cell, MIME_GATES);
      assert.deepEqual(whilePaused.panels, byTheCell.panels);
    } finally {
      watch.dispose();
    }
  });

  it('step into model.forward lands in the core’s TypeScript source, equations beside the code', async () => {
    const { watch, running, stopped } = await debugAtThirdLine(
      "import { LSTM, Tensor, seed } from 'lstm-notebook';\nseed(2);\n" +
        'const model = new LSTM({ inputSize: 2, hiddenSize: 3 });\nconst x = Tensor.randn([4, 1, 2]);',
      'let n = 0;\nn += 1;\nconst out = model.forward(x);\nout.output.shape',
    );
    try {
      const paused = await stopped;
      await settle();
      await paused.session.customRequest('stepIn', { threadId: paused.threadId });
      const top = await topFrame(await within(watch.next(), 20_000, 'the step into forward'));
      assert.match(top.source?.path ?? '', /core\/recurrent\/model\.ts$/, JSON.stringify(top));
      // The source as the debugger shows it: the TypeScript with its comments (from disk or the map's text).
      const source = top.source as { path?: string; sourceReference?: number };
      const content = source.sourceReference
        ? (
            (await paused.session.customRequest('source', { source, sourceReference: source.sourceReference })) as {
              content: string;
            }
          ).content
        : new TextDecoder().decode(
            // A path or, with the extension opened remotely (code-server), a vscode-remote: URI of one.
            await vscode.workspace.fs.readFile(vscode.Uri.file(vscode.Uri.parse(source.path ?? '').path)),
          );
      assert.match(content, /forward\(input: Tensor/);
      // Ending the session resumes the worker (js-debug may still be stepping through skipped frames,
      // when a `continue` is refused as "Unable to resume").
      await vscode.debug.stopDebugging();
      await within(Promise.resolve(running), 30_000, 'the cell to finish');
    } finally {
      watch.dispose();
    }
  });

  it('interrupting a cell paused at a breakpoint ends the session and the cell; the kernel keeps its variables', async () => {
    // The loop would run for minutes: only the interrupt ends it.
    const { notebook, cell, watch, running, stopped } = await debugAtThirdLine(
      'const kept = "still here";',
      'let n = 0;\nfor (let i = 0; i < 1e12; i++) {\n  n += 1;\n}\nn',
    );
    try {
      await stopped;
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
      await vscode.commands.executeCommand('notebook.cell.cancelExecution', {
        ranges: [{ start: 1, end: 2 }],
        document: notebook.uri,
      });
      await within(Promise.resolve(running), 30_000, 'the interrupted cell to end');
      await waitFor(() => watch.ended.includes('Cell 2'), 10_000, 'the debug session to end');
      assert.equal(cell.executionSummary?.success, false, 'the interrupted cell failed');
      assert.match(text(cell, 'application/vnd.code.notebook.error'), /Interrupted/);
    } finally {
      watch.dispose();
    }
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    const check = await openNotebookCellValue(notebook, 'kept');
    assert.match(check, /still here/);
  });

  it('restarting the kernel while a cell is paused ends the session and the cell; the new kernel runs cells', async () => {
    const { notebook, cell, watch, running, stopped } = await debugAtThirdLine(
      'const kept = "gone after the restart";',
      'let n = 0;\nfor (let i = 0; i < 1e12; i++) {\n  n += 1;\n}\nn',
    );
    try {
      await stopped;
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
      await within(
        Promise.resolve(vscode.commands.executeCommand('lstm-notebook.restartKernel')),
        30_000,
        'the restart',
      );
      await within(Promise.resolve(running), 30_000, 'the paused cell to end');
      await waitFor(() => watch.ended.includes('Cell 2'), 10_000, 'the debug session to end');
      assert.equal(cell.executionSummary?.success, false, 'the paused cell did not finish');
      await noSessionLeft();
    } finally {
      watch.dispose();
    }
    assert.match(await openNotebookCellValue(notebook, 'typeof kept + " " + (20 + 22)'), /undefined 42/);
  });

  it('closing the notebook while a cell is paused ends the session and the kernel', async () => {
    const { watch, running, stopped } = await debugAtThirdLine(
      'const waiting = 1;',
      'let n = 0;\nfor (let i = 0; i < 1e12; i++) {\n  n += 1;\n}\nn',
    );
    try {
      await stopped;
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await within(Promise.resolve(running), 30_000, 'the paused cell to end');
      await waitFor(() => watch.ended.includes('Cell 2'), 10_000, 'the debug session to end');
      await noSessionLeft();
    } finally {
      watch.dispose();
    }
    // The extension is still there for the next notebook.
    const next = await openNotebook(['6 * 7']);
    await runCells(next, 0);
    assert.match(text(next.cellAt(0)), /42/);
  });
});

/**
 * Opens a notebook of `first` and `second`, runs `first`, sets a breakpoint on the third line of
 * `second` and starts Debug Cell on it; `stopped` resolves once the breakpoint is hit.
 */
async function debugAtThirdLine(first: string, second: string) {
  const notebook = await openNotebook([first, second]);
  await runCells(notebook, 0);
  const cell = notebook.cellAt(1);
  vscode.debug.addBreakpoints([
    new vscode.SourceBreakpoint(new vscode.Location(cell.document.uri, new vscode.Position(2, 0))),
  ]);
  const watch = nextStop();
  const running = vscode.commands.executeCommand('lstm-notebook.debugCell', cell);
  const stopped = within(watch.stopped, 60_000, 'the breakpoint to be hit');
  return { notebook, cell, watch, running, stopped };
}

/**
 * Waits for every debug session to end (onDidTerminateDebugSession: `activeDebugSession` has been
 * seen to keep naming a session after its end), naming those left if not.
 */
async function noSessionLeft(): Promise<void> {
  await waitFor(() => live.size === 0, 10_000, 'no debug session left').catch(() => {
    throw new Error(
      `debug sessions were left: ${[...live.values()].join('; ')}; last messages: ${traffic.slice(-30).join(', ')}`,
    );
  });
}

/** A user steps no faster than this: VS Code's own requests for the last stop (threads, stack, scopes) finish first. */
const settle = () => new Promise((r) => setTimeout(r, 300));

async function topFrame({ session, threadId }: Stopped): Promise<Frame> {
  const { stackFrames } = (await session.customRequest('stackTrace', { threadId })) as { stackFrames: Frame[] };
  return stackFrames[0];
}

/** Appends a cell with `expression`, runs it, and returns its text output. */
async function openNotebookCellValue(notebook: vscode.NotebookDocument, expression: string): Promise<string> {
  const edit = new vscode.WorkspaceEdit();
  const index = notebook.cellCount;
  edit.set(notebook.uri, [
    vscode.NotebookEdit.insertCells(index, [
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, expression, 'typescript'),
    ]),
  ]);
  assert.ok(await vscode.workspace.applyEdit(edit));
  await runCells(notebook, index);
  return text(notebook.cellAt(index));
}
