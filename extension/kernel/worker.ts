/**
 * Kernel worker entry: one worker thread per open notebook. It owns the notebook's globals,
 * runs one cell at a time, and answers the host in the order of protocol/kernel.ts.
 */
import { Console } from 'node:console';
import * as inspector from 'node:inspector';
import { Writable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { setInterruptCheck, wasmMemoryUse } from '../../core/host';
import {
  EXIT_MEMORY_LIMIT,
  INTERRUPT_FLAG,
  KERNEL_GLOBAL,
  type HostMessage,
  type PausedChartKind,
  type WorkerConfig,
  type WorkerMessage,
} from '../../protocol/kernel';
import { charts } from './chart-module';
import { createCellApi } from './cell-api';
import { CellRunner, InterruptedError } from './cell-runner';
import { Displays } from './display';
import { InputRequests } from './input';
import { guardAllocations, MemoryLimit } from './memory-limit';
import { ModuleLoader } from './imports';
import { NpmRunner } from './npm-magic';
import { Outbox } from './outbox';
import { bundleOf } from './value-bundle';
import { describeVariables, whosBundle } from './variables';
import { configureEngine } from './engine-config';

const port = parentPort;
if (!port) throw new Error('the kernel worker must run in a worker thread');
const config = workerData as WorkerConfig;
const flags = new Int32Array(config.interruptBuffer);
const post = (message: WorkerMessage) => port.postMessage(message);
// The WebAssembly engine and its helper thread (or the JS engine, when asked for or when
// WebAssembly cannot run here: cells see which in getEngine() and a model's .engine).
configureEngine(config, process.env);

let currentId = 0;
const outbox = new Outbox(post, () => currentId);
const displays = new Displays(
  outbox,
  () => currentId,
  (value, options) => bundleOf(value, charts, options),
);

/**
 * Polled by every loop of a cell, by train() between steps and by long core calls: the
 * interrupt flag, and the memory outside the JS heap — every Tensor is a typed array, which the
 * worker's heap limit does not cover. Past the limit the worker exits and the host restarts it
 * with a clear message, before the extension host's memory runs out. The memory is read (about
 * a microsecond) at most every 2 ms, the clock every 16 calls, so a tight loop pays ~2 ns.
 */
const memory = new MemoryLimit((config.memoryLimitMb ?? 4096) * 2 ** 20, { engineBytes: () => wasmMemoryUse().bytes });
// An allocation by a typed-array or buffer constructor that would pass the limit is refused
// (a RangeError, every variable kept); what they cannot see, the checks catch (memory-limit.ts).
guardAllocations(globalThis as Record<string, unknown>, memory);
let checks = 0;
let lastMemoryCheck = 0;
function check(): void {
  if (Atomics.load(flags, INTERRUPT_FLAG) === 1) throw new InterruptedError();
  if ((++checks & 15) !== 0) return;
  const now = performance.now();
  if (now - lastMemoryCheck < 2) return;
  lastMemoryCheck = now;
  checkMemory();
}
/** Unthrottled: after every top-level statement of a cell (the rewrite adds the call). */
function checkMemory(): void {
  if (memory.exceeded()) process.exit(EXIT_MEMORY_LIMIT);
}
// Long core calls (evaluate, a forward over a long sequence, a data set builder…) poll it too.
setInterruptCheck(check);

const inputs = new InputRequests(post, outbox, () => currentId, check);
const api = createCellApi({
  displays,
  check,
  charts,
  notebookDir: config.notebookDir,
  input: (prompt, options) => inputs.ask(prompt, options),
});
const loader = new ModuleLoader(config.notebookDir, { 'lstm-notebook': api });
// `%npm install …` lines (protocol/magics.ts): npm in the notebook's folder, streamed into the cell.
const npm = new NpmRunner({
  notebookDir: config.notebookDir,
  stream: (name, text) => outbox.stream(name, text),
  interrupted: () => new InterruptedError(),
  onChild: (pid) => post({ type: 'child', pid }),
});
const runner = new CellRunner({
  post,
  outbox,
  displays,
  resultBundle: (value) => bundleOf(value, charts, { svg: true }),
  enginePaths: [__filename, __dirname + '/worker.js', 'node_modules/sucrase', 'node_modules/acorn'],
});

// The cell's view of the world: console and process.stdout stream into the running cell.
const stream = (name: 'stdout' | 'stderr') =>
  new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      outbox.stream(name, typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
      callback();
    },
  });
const stdout = stream('stdout');
const stderr = stream('stderr');
const globals = globalThis as Record<string, unknown>;
globals.console = new Console({ stdout, stderr, colorMode: false });
process.stdout.write = stdout.write.bind(stdout) as typeof process.stdout.write;
process.stderr.write = stderr.write.bind(stderr) as typeof process.stderr.write;
globals.display = api.display;
globals.clearOutput = api.clearOutput;
globals.require = loader.require;
// A worker cannot chdir, so relative fs paths resolve from the editor's folder, not the
// notebook's: cells get the notebook's folder as __dirname, as a Node module would.
globals.__dirname = config.notebookDir;
globals[KERNEL_GLOBAL] = Object.freeze({
  check,
  checkMemory,
  import: (specifier: unknown) => loader.load(specifier),
  npm: (args: string[]) => npm.run(args),
  // `%whos [types…]` (protocol/magics.ts): the variables at that line, as a table.
  whos: (types: string[]) => {
    const rows = describeVariables(globalThis, kernelNames);
    displays.display({ toBundle: () => whosBundle(rows, types) });
  },
  showWhilePaused,
});
hideLazyGlobals();
/** Every global name before a cell runs: not the notebook's variables (Debug Cell lists those apart). */
const kernelGlobals = Object.getOwnPropertyNames(globalThis);
const kernelNames: ReadonlySet<string> = new Set(kernelGlobals);

// A timer or promise of an earlier cell that throws must not end the kernel, nor vanish: during
// a cell it goes to that cell's stderr; while no cell runs it waits for the next cell, which
// shows it first, saying it happened in between.
let running = false;
const whileIdle: string[] = [];
function report(text: string): void {
  if (running) outbox.stream('stderr', `${text}\n`);
  else whileIdle.push(`${text}\n`);
}
process.on('uncaughtException', (error) => report(`Uncaught in a timer or callback: ${error?.stack ?? String(error)}`));
process.on('unhandledRejection', (reason) =>
  report(`Unhandled promise rejection: ${(reason as Error)?.stack ?? String(reason)}`),
);

let queue: Promise<void> = Promise.resolve();
port.on('message', (message: HostMessage) => {
  switch (message.type) {
    case 'execute':
      queue = queue.then(async () => {
        currentId = message.id;
        Atomics.store(flags, INTERRUPT_FLAG, 0);
        running = true;
        for (const text of whileIdle.splice(0)) outbox.stream('stderr', `While no cell was running: ${text}`);
        try {
          await runner.run(message.id, message.code, message.cellName, message.scriptPath, message.pauseAtStart);
        } finally {
          running = false;
          inputs.reset();
        }
        Atomics.store(flags, INTERRUPT_FLAG, 0);
      });
      break;
    case 'interrupt':
      if (message.id === currentId) {
        npm.interrupt();
        runner.interruptWaiting();
      }
      break;
    case 'openInspector':
      post(openInspector());
      break;
    case 'closeInspector':
      inspector.close();
      break;
    case 'inputReply':
      inputs.answer(message);
      break;
    case 'variables':
      post({ type: 'variables', request: message.request, rows: describeVariables(globalThis, kernelNames) });
      break;
    case 'selection': {
      // Checked again here: the worker trusts no message it did not make.
      const problem = charts.receiveSelection(message);
      if (problem) report(`A chart's selection was ignored: ${problem}`);
      break;
    }
    default: {
      const unknown: never = message;
      throw new Error(`unknown message ${JSON.stringify(unknown)}`);
    }
  }
});
/**
 * Debug Cell's charts while paused: the debugger's evaluate calls this in the paused frame, where
 * nothing asynchronous runs, so the chart (gates or states) is built synchronously and posted to
 * the host at once as a display of the running cell (not through the outbox, whose flush waits
 * for the event loop), without the SVG twin. The same displayId again (update) redraws it after
 * a step. Returns the chart's summary, which the debug console shows.
 */
function showWhilePaused(value: unknown, kind: unknown, displayId: unknown, update: unknown): string {
  if (typeof displayId !== 'string') throw new Error(`showWhilePaused: expected a display id, got ${typeof displayId}`);
  const chart = charts.pausedChart(value, kind as PausedChartKind);
  const bundle = { [chart.mime]: chart.payload, 'text/plain': chart.summary };
  post({ type: 'display', id: currentId, displayId, bundle, update: update === true });
  return chart.summary;
}

/**
 * Node defines some globals (atob, btoa, crypto, performance, navigator…) as getters that load
 * their module on first use. A debugger describes a scope's values in one side-effect-free call
 * (V8's throwOnSideEffect), and one such getter aborts it for the whole global scope: the
 * notebook's tensors and models would lose their descriptions. Left enumerable they are read by
 * that call; made non-enumerable they are not, and they still work and still show.
 */
function hideLazyGlobals(): void {
  for (const [name, property] of Object.entries(Object.getOwnPropertyDescriptors(globalThis)))
    if (property.get && property.enumerable && property.configurable)
      Object.defineProperty(globalThis, name, { ...property, enumerable: false });
}

/**
 * This worker's own inspector (a worker thread gets its own ws:// address; pausing it freezes
 * only this thread, never the extension host). Loopback only, a random port, only while a cell
 * is debugged.
 */
function openInspector(): WorkerMessage {
  try {
    if (!inspector.url()) inspector.open(0, '127.0.0.1', false);
    const url = inspector.url();
    return url
      ? { type: 'inspector', url, kernelGlobals }
      : { type: 'inspector', url: null, error: 'the inspector gave no address' };
  } catch (error) {
    return { type: 'inspector', url: null, error: (error as Error).message };
  }
}

post({ type: 'ready' });
