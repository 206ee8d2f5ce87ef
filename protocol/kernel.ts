/**
 * Messages between the kernel session (extension host, headless runner, tests) and the kernel
 * worker thread, declared once. Every message names its direction; both sides switch on
 * `type` exhaustively, and the host checks what the worker sends with validateWorkerMessage.
 * Interrupts also travel through shared memory (INTERRUPT_FLAG), because a worker stuck in
 * `while (true) {}` never reads its message port.
 */

import type { SelectionMessage } from './selection';

/** Output of one kind, keyed by MIME type: 'text/plain' and 'image/svg+xml' are strings, JSON types (ours, vega-lite's) are objects. */
export type MimeBundle = Record<string, unknown>;

/** Given to the worker at start (worker_threads workerData). */
export interface WorkerConfig {
  /** Folder of the notebook: relative imports and workspace packages resolve from here. */
  notebookDir: string;
  /** Int32Array view [0] = INTERRUPT_FLAG: set by the host, polled by the cell's loops. */
  interruptBuffer: SharedArrayBuffer;
  /** The core's engine for float32 work ('wasm' when absent; LSTM_NOTEBOOK_ENGINE overrides). */
  engine?: 'wasm' | 'js';
  /** Threads of the WebAssembly engine: 1 or 2 (2 when absent; LSTM_NOTEBOOK_THREADS overrides). */
  threads?: number;
  /**
   * Bound on the memory outside the JS heap — typed arrays (every Tensor) and the WebAssembly
   * engine's memory — in MiB. A worker that passes it exits with EXIT_MEMORY_LIMIT.
   */
  memoryLimitMb?: number;
}

/** Exit code of a worker that passed its memoryLimitMb (the host restarts it and says why). */
export const EXIT_MEMORY_LIMIT = 77;

/** Host → worker. */
export type HostMessage =
  /**
   * Run one cell. `cellName` names the cell in stacks and syntax errors, e.g. "Cell 3".
   * `scriptPath`, when debugging, is the script's name in the inspector instead: an absolute
   * path the debugger binds breakpoints to (the host maps it to the cell and back).
   * `pauseAtStart` (Run by Line) stops the attached debugger before the cell's first line.
   */
  | { type: 'execute'; id: number; code: string; cellName: string; scriptPath?: string; pauseAtStart?: boolean }
  /** Open the worker's inspector on 127.0.0.1, a random port (Debug Cell); answered by `inspector`. */
  | { type: 'openInspector' }
  /** Close it once the debugged cell has ended. */
  | { type: 'closeInspector' }
  /** Stop the running cell (the flag in shared memory is already set when this arrives). */
  | { type: 'interrupt'; id: number }
  /** Units the reader selected (or cleared) in a chart, passed on from the renderer: plot.selection(). */
  | SelectionMessage
  /**
   * The answer to cell `id`'s `input` request: the text typed, null when the reader dismissed the
   * question, or `error` when this host cannot ask anyone (the headless runner, a Jupyter client
   * that takes no input).
   */
  | { type: 'inputReply'; id: number; value: string | null; error?: string }
  /**
   * The notebook's variables now (the variables view): answered by `variables` with the same
   * `request` once the worker is free, after the running cell or at its next await.
   */
  | { type: 'variables'; request: number };

/**
 * One of the notebook's top-level names as the variables view and `%whos` show it, the columns
 * of VS Code Jupyter's variables view: `type` the constructor's name (or typeof), `size` a
 * tensor's shape, a length, a model's parameter count ('' when none applies), `value` one
 * short line (a tensor's leading values, a model's description).
 */
export interface VariableRow {
  name: string;
  type: string;
  size: string;
  value: string;
}

/** A cell's error as the user sees it: stack lines already mapped to cell lines, engine frames removed. */
export interface CellError {
  name: string;
  message: string;
  /** "Name: message" then "    at … (Cell 3:4:5)" lines. */
  stack: string;
}

/**
 * What Debug Cell asks the paused worker to draw of a value (`__lstmKernel.showWhilePaused`): its
 * gate heatmaps or its state trajectories.
 */
export type PausedChartKind = 'gates' | 'states';

/** Worker → host. */
export type WorkerMessage =
  /** The worker has loaded and can execute. */
  | { type: 'ready' }
  /**
   * The inspector's ws:// address after openInspector, or why it could not open; with the
   * names the kernel's global object had before any cell ran (Node's and the kernel's own), so a
   * debugger can tell the notebook's variables from them.
   */
  | { type: 'inspector'; url: string | null; error?: string; kernelGlobals?: string[] }
  /** console.log / console.error text of cell `id`, batched, in order. */
  | { type: 'stream'; id: number; name: 'stdout' | 'stderr'; text: string }
  /** display(value) (update: false) or handle.update(value) (update: true) of output `displayId`. */
  | { type: 'display'; id: number; displayId: string; bundle: MimeBundle; update: boolean }
  /**
   * clearOutput() in cell `id`: the outputs it has shown so far go (Jupyter's clear_output), at
   * once or, with `wait`, when its next output arrives (a display update is not one), so an
   * animation loop redraws without flicker. A wait still pending when the cell ends clears nothing.
   */
  | { type: 'clear'; id: number; wait: boolean }
  /** The value of the cell's last expression. */
  | { type: 'result'; id: number; bundle: MimeBundle }
  /**
   * `await input(prompt)` in cell `id`: the host asks the reader (VS Code's input box, Jupyter's
   * input_request) and answers with inputReply. Sent after every output before it has gone.
   */
  | { type: 'input'; id: number; prompt: string; password: boolean }
  /** The cell failed; `done` follows. */
  | { type: 'error'; id: number; error: CellError }
  /** The cell ended; ok is false after an error or an interrupt. */
  | { type: 'done'; id: number; ok: boolean }
  /**
   * A process the worker started for a cell (npm) runs as `pid`, or has ended (null). A worker
   * cannot stop it when it is itself ended, so the host kills its process tree then (restart,
   * shutdown); a cell could send this too, but it can already kill processes itself.
   */
  | { type: 'child'; pid: number | null }
  /** The answer to a `variables` request: every variable, sorted by name. */
  | { type: 'variables'; request: number; rows: VariableRow[] };

const isText = (v: unknown): v is string => typeof v === 'string';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The host's guard on what arrives from the worker: why `m` is not a WorkerMessage, or null when
 * it is one. A cell can post to parentPort itself, so the session checks every message with this
 * and drops (and reports) what fails, never letting it throw in the host.
 */
export function validateWorkerMessage(m: unknown): string | null {
  const shown = (): string => {
    try {
      return JSON.stringify(m)?.slice(0, 200) ?? String(m);
    } catch {
      return String(m);
    }
  };
  if (!isObject(m)) return `expected an object with a "type", got ${shown()}`;
  if (m.type === 'ready') return null;
  if (m.type === 'inspector')
    return (isText(m.url) &&
      (m.kernelGlobals === undefined || (Array.isArray(m.kernelGlobals) && m.kernelGlobals.every(isText)))) ||
      (m.url === null && (m.error === undefined || isText(m.error)))
      ? null
      : `a malformed inspector message ${shown()}`;
  if (m.type === 'child')
    return m.pid === null || (Number.isSafeInteger(m.pid) && (m.pid as number) > 1)
      ? null
      : `a malformed child message (expected a process id above 1, or null) ${shown()}`;
  if (m.type === 'variables')
    return typeof m.request === 'number' &&
      Array.isArray(m.rows) &&
      m.rows.every((r) => isObject(r) && isText(r.name) && isText(r.type) && isText(r.size) && isText(r.value))
      ? null
      : `a malformed variables message (expected a numeric "request" and rows of name, type, size and value strings) ${shown()}`;
  if (!['stream', 'display', 'clear', 'input', 'result', 'error', 'done'].includes(m.type as string))
    return `expected a type of ready, inspector, child, variables, stream, display, clear, input, result, error or done, got ${shown()}`;
  if (typeof m.id !== 'number') return `expected a numeric "id", got ${shown()}`;
  switch (m.type) {
    case 'stream':
      return (m.name === 'stdout' || m.name === 'stderr') && isText(m.text)
        ? null
        : `a malformed stream message ${shown()}`;
    case 'display':
      return isText(m.displayId) && isObject(m.bundle) && typeof m.update === 'boolean'
        ? null
        : `a malformed display message ${shown()}`;
    case 'clear':
      return typeof m.wait === 'boolean' ? null : `a malformed clear message (expected a boolean "wait") ${shown()}`;
    case 'input':
      return isText(m.prompt) && typeof m.password === 'boolean'
        ? null
        : `a malformed input message (expected a prompt string and a boolean "password") ${shown()}`;
    case 'result':
      return isObject(m.bundle) ? null : `a malformed result message ${shown()}`;
    case 'error':
      return isObject(m.error) && isText(m.error.name) && isText(m.error.message) && isText(m.error.stack)
        ? null
        : `a malformed error message ${shown()}`;
    default:
      return typeof m.ok === 'boolean' ? null : `a malformed done message ${shown()}`;
  }
}

/**
 * The global through which rewritten cells reach the kernel (imports, interrupt checks), and a
 * debugger attached to the worker reaches it too (Debug Cell's charts while paused): a contract
 * between the worker and the host, declared here so the extension host never imports the REPL
 * rewrite (and with it the cell transpiler, sucrase and acorn).
 */
export const KERNEL_GLOBAL = '__lstmKernel';

/** Index in the interrupt Int32Array: 1 while an interrupt is requested. */
export const INTERRUPT_FLAG = 0;

/** Name of the error a stopped cell ends with. */
export const INTERRUPTED = 'Interrupted';
