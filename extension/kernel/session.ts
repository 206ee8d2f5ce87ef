/**
 * A kernel session: one worker thread running one notebook's cells, seen from the host (the
 * VS Code controller, the headless runner, tests). No `vscode` import.
 *
 * Cells run one at a time in the order they were asked for. interrupt() sets a flag in shared
 * memory that the cell's loops poll and also messages the worker (for a cell that is waiting on
 * a promise); if the worker has not ended the cell after `interruptGraceMs`, it is restarted and
 * the cell ends with an error saying that state was lost. A worker that runs out of heap or
 * exits ends its cell the same way, and a fresh worker takes its place.
 */
import { Worker } from 'node:worker_threads';
import {
  EXIT_MEMORY_LIMIT,
  INTERRUPT_FLAG,
  INTERRUPTED,
  type CellError,
  type HostMessage,
  type VariableRow,
  type WorkerConfig,
  type WorkerMessage,
  validateWorkerMessage,
} from '../../protocol/kernel';
import type { SelectionMessage } from '../../protocol/selection';
import { killProcessTree } from './process-tree';

export type KernelState = 'starting' | 'idle' | 'busy' | 'restarting' | 'disposed';

/**
 * What a running cell produces, in order: the worker's output messages without the cell id, so
 * a field added to one of them in protocol/kernel.ts reaches the session's callers as well.
 */
export type CellOutput = WithoutId<
  Extract<WorkerMessage, { type: 'stream' | 'display' | 'clear' | 'result' | 'error' }>
>;

/** Omit distributed over a union: each message keeps its own fields and its `type` tag. */
type WithoutId<M> = M extends unknown ? Omit<M, 'id'> : never;

/** What a cell asks with input(). */
export interface InputRequest {
  prompt: string;
  password: boolean;
}

export interface ExecutionResult {
  ok: boolean;
  /** The error the cell ended with (also delivered as an 'error' output). */
  error?: CellError;
  /** True when the cell ended because of interrupt(). */
  interrupted: boolean;
  /** True when the worker had to be replaced: every variable is gone. */
  stateLost: boolean;
}

/** What openInspector gives a debugger: where to attach, and which globals are the kernel's own. */
export interface OpenedInspector {
  url: string;
  /** Global names present before any cell ran (Node's and the kernel's): not the notebook's variables. */
  kernelGlobals: string[];
}

export interface SessionOptions {
  /** The bundled worker (dist/worker.js). */
  workerPath: string;
  notebookDir: string;
  /** V8 old-space limit of the worker, in MiB. */
  heapLimitMb?: number;
  /** How long an interrupted cell may take to stop before the worker is replaced. */
  interruptGraceMs?: number;
  /** The core's engine and the WebAssembly engine's threads (WorkerConfig). */
  engine?: 'wasm' | 'js';
  threads?: number;
  onStateChange?: (state: KernelState) => void;
  /**
   * Asks the reader for a cell's `await input(prompt)`: resolves to the answer, null when dismissed.
   * Absent (the headless runner), input() fails with a sentence saying no one can answer here;
   * a handler that throws fails it with the handler's message.
   */
  onInput?: (request: InputRequest) => Promise<string | null>;
  /** Where the session reports what it ignored (a malformed message from the worker); console.warn when absent. */
  onLog?: (message: string) => void;
}

interface Pending {
  id: number;
  code: string;
  cellName: string;
  scriptPath?: string;
  pauseAtStart?: boolean;
  onOutput: (output: CellOutput) => void;
  onStart: () => void;
  resolve: (result: ExecutionResult) => void;
  started: boolean;
  interrupted: boolean;
  error?: CellError;
}

export class KernelSession {
  private worker!: Worker;
  private ready!: Promise<void>;
  private flags!: Int32Array;
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private graceTimer: ReturnType<typeof setTimeout> | null = null;
  private currentState: KernelState = 'starting';
  /** openInspector calls waiting for the worker's answer. */
  private readonly inspectorWaiters: { resolve: (opened: OpenedInspector) => void; reject: (error: Error) => void }[] =
    [];
  /** variables() calls waiting for the worker's answer, by request number. */
  private readonly variableWaiters = new Map<number, (rows: VariableRow[]) => void>();
  private nextVariablesRequest = 1;
  /** A process the worker runs for a cell (npm), killed with the worker: see protocol/kernel.ts 'child'. */
  private childPid: number | null = null;

  constructor(private readonly options: SessionOptions) {
    this.start();
  }

  get state(): KernelState {
    return this.currentState;
  }

  /** Resolves once the worker can run cells (cold start). */
  whenReady(): Promise<void> {
    return this.ready;
  }

  /**
   * Queues a cell; `onStart` fires when it actually begins (after the cells before it).
   * `debug` names the script for a debugger attached through openInspector, and may stop it
   * before the first line (Run by Line).
   */
  execute(
    code: string,
    cellName: string,
    onOutput: (output: CellOutput) => void = () => {},
    onStart: () => void = () => {},
    debug?: { scriptPath: string; pauseAtStart?: boolean },
  ): Promise<ExecutionResult> {
    if (this.currentState === 'disposed') return Promise.reject(new Error('the kernel session was disposed'));
    return new Promise((resolve) => {
      this.queue.push({
        id: this.nextId++,
        code,
        cellName,
        scriptPath: debug?.scriptPath,
        pauseAtStart: debug?.pauseAtStart,
        onOutput,
        onStart,
        resolve,
        started: false,
        interrupted: false,
      });
      void this.pump();
    });
  }

  /**
   * Opens the worker's inspector (Debug Cell) and resolves with its ws:// address, on
   * 127.0.0.1 and a random port, and the kernel's own global names; the worker answers once no
   * synchronous work holds it. closeInspector ends it. A worker replaced meanwhile rejects the wait.
   */
  openInspector(): Promise<OpenedInspector> {
    if (this.currentState === 'disposed') return Promise.reject(new Error('the kernel was shut down'));
    return new Promise((resolve, reject) => {
      this.inspectorWaiters.push({ resolve, reject });
      const worker = this.worker;
      // Asked once the worker listens; a worker replaced or shut down before that rejects the wait.
      this.ready.then(
        () => {
          if (this.worker === worker && this.currentState !== 'disposed')
            worker.postMessage({ type: 'openInspector' } satisfies HostMessage);
        },
        () => {},
      );
    });
  }

  /**
   * The notebook's variables (protocol/kernel.ts VariableRow), sorted by name. The worker answers
   * once it is free: after the running cell, or at its next await (training yields between
   * steps). A worker replaced meanwhile has none: the wait resolves to [].
   */
  variables(): Promise<VariableRow[]> {
    if (this.currentState === 'disposed') return Promise.resolve([]);
    return new Promise((resolve) => {
      const request = this.nextVariablesRequest++;
      this.variableWaiters.set(request, resolve);
      const worker = this.worker;
      // A worker replaced before it listened (a restart) is asked nothing: its successor has no variables yet.
      const unanswered = () => {
        this.variableWaiters.delete(request);
        resolve([]);
      };
      this.ready.then(() => {
        if (this.worker === worker && this.currentState !== 'disposed')
          worker.postMessage({ type: 'variables', request } satisfies HostMessage);
        else unanswered();
      }, unanswered);
    });
  }

  closeInspector(): void {
    if (this.currentState !== 'disposed') this.worker.postMessage({ type: 'closeInspector' } satisfies HostMessage);
  }

  /**
   * Passes a renderer's selection message on to the worker, for plot.selection(); it is read
   * between cells, or while a cell waits (training yields between steps).
   */
  postSelection(message: SelectionMessage): void {
    if (this.currentState !== 'disposed') this.worker.postMessage(message satisfies HostMessage);
  }

  /** Stops the running cell and cancels those waiting behind it, as Jupyter does. */
  interrupt(): void {
    const [running, ...waiting] = this.queue;
    for (const cell of waiting)
      this.finish(cell, { ok: false, interrupted: true, stateLost: false, error: cancelled(cell.cellName) }, false);
    this.queue.length = running ? 1 : 0;
    if (!running || !running.started) return;
    running.interrupted = true;
    Atomics.store(this.flags, INTERRUPT_FLAG, 1);
    this.worker.postMessage({ type: 'interrupt', id: running.id } satisfies HostMessage);
    if (!this.graceTimer) {
      const grace = this.options.interruptGraceMs ?? 3000;
      this.graceTimer = setTimeout(() => {
        this.graceTimer = null;
        this.replaceWorker(
          `The kernel did not stop within ${grace / 1000} s of the interrupt and was restarted: every variable was lost.`,
          true,
        );
      }, grace);
    }
  }

  /** A fresh worker: every variable is gone. A running cell ends with an error saying so. */
  async restart(): Promise<void> {
    this.replaceWorker('The kernel was restarted while this cell ran: every variable was lost.', false);
    await this.ready;
  }

  async dispose(): Promise<void> {
    this.setState('disposed');
    for (const cell of this.queue.splice(0))
      cell.resolve({
        ok: false,
        interrupted: false,
        stateLost: true,
        error: { name: 'Error', message: 'The kernel was shut down.', stack: 'Error: The kernel was shut down.' },
      });
    this.rejectInspectorWaiters('the kernel was shut down');
    this.answerVariableWaiters();
    this.clearGrace();
    this.killChild();
    await this.worker.terminate();
  }

  private start(): void {
    const buffer = new SharedArrayBuffer(4);
    this.flags = new Int32Array(buffer);
    const config: WorkerConfig = {
      notebookDir: this.options.notebookDir,
      interruptBuffer: buffer,
      engine: this.options.engine,
      threads: this.options.threads,
      // One limit for the heap and for what lives outside it (tensors, the engine's memory).
      memoryLimitMb: this.options.heapLimitMb ?? 4096,
    };
    const worker = new Worker(this.options.workerPath, {
      workerData: config,
      resourceLimits: { maxOldGenerationSizeMb: this.options.heapLimitMb ?? 4096 },
      stdout: false,
      stderr: false,
    });
    this.worker = worker;
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (message: unknown) => {
        if ((message as { type?: unknown } | null)?.type === 'ready') {
          worker.off('message', onMessage);
          resolve();
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    this.ready.then(
      () => {
        if (this.worker !== worker) return;
        // A replaced worker's late messages (a child it started, an output) are not this session's.
        worker.on('message', (message: unknown) => this.worker === worker && this.onMessage(message));
        this.setState(this.queue.length > 0 ? 'busy' : 'idle');
        void this.pump();
      },
      () => {},
    );
    let started = false;
    this.ready.then(
      () => {
        started = true;
      },
      () => {},
    );
    worker.on('error', (error) => this.onWorkerGone(worker, error, started));
    worker.on('exit', (code) =>
      this.onWorkerGone(
        worker,
        Object.assign(new Error(`the kernel worker exited with code ${code}`), {
          code: code === EXIT_MEMORY_LIMIT ? 'MEMORY_LIMIT' : undefined,
        }),
        started,
      ),
    );
  }

  private onWorkerGone(worker: Worker, error: Error, started: boolean): void {
    if (worker !== this.worker || this.currentState === 'disposed') return;
    if (!started) {
      // A worker that cannot even start would fail again: end every cell with the reason.
      const message = `The kernel could not start: ${error.message}`;
      this.setState('disposed');
      this.rejectInspectorWaiters(message);
      this.answerVariableWaiters();
      for (const cell of this.queue.splice(0))
        this.finish(
          cell,
          { ok: false, interrupted: false, stateLost: true, error: { name: 'KernelDied', message, stack: message } },
          true,
        );
      return;
    }
    const code = (error as { code?: string }).code;
    const outOfMemory = code === 'ERR_WORKER_OUT_OF_MEMORY' || code === 'MEMORY_LIMIT';
    const limit = this.options.heapLimitMb ?? 4096;
    const why =
      code === 'MEMORY_LIMIT'
        ? `The kernel's tensors and typed arrays passed the memory limit (${limit} MiB, lstmNotebook.kernel.heapLimitMb) and it was restarted: every variable was lost.`
        : outOfMemory
          ? `The kernel ran out of memory (heap limit ${limit} MiB) and was restarted: every variable was lost.`
          : `The kernel stopped unexpectedly (${error.message}) and was restarted: every variable was lost.`;
    this.replaceWorker(why, false, outOfMemory ? 'OutOfMemory' : 'KernelDied');
  }

  private replaceWorker(why: string, interrupted: boolean, name = interrupted ? INTERRUPTED : 'KernelRestarted'): void {
    this.clearGrace();
    this.rejectInspectorWaiters(`the kernel restarted: ${why}`);
    this.answerVariableWaiters();
    this.killChild();
    const old = this.worker;
    const running = this.queue[0]?.started ? this.queue.shift() : undefined;
    this.setState('restarting');
    this.start();
    void old.terminate();
    if (running) {
      const error: CellError = { name, message: why, stack: `${name}: ${why}` };
      this.finish(running, { ok: false, interrupted, stateLost: true, error }, true);
    }
  }

  private async pump(): Promise<void> {
    const cell = this.queue[0];
    if (
      !cell ||
      cell.started ||
      this.currentState === 'starting' ||
      this.currentState === 'restarting' ||
      this.currentState === 'disposed'
    )
      return;
    cell.started = true;
    this.setState('busy');
    cell.onStart();
    this.worker.postMessage({
      type: 'execute',
      id: cell.id,
      code: cell.code,
      cellName: cell.cellName,
      ...(cell.scriptPath ? { scriptPath: cell.scriptPath } : {}),
      ...(cell.pauseAtStart ? { pauseAtStart: true } : {}),
    } satisfies HostMessage);
  }

  private onMessage(received: unknown): void {
    // A cell can post to parentPort itself: anything that is not one of our messages is
    // reported and dropped, never allowed to throw in the host.
    const problem = validateWorkerMessage(received);
    if (problem !== null) {
      (this.options.onLog ?? console.warn)(`LSTM Notebook: ignored a message from the kernel worker: ${problem}`);
      return;
    }
    const message = received as WorkerMessage;
    if (message.type === 'ready') return;
    if (message.type === 'inspector') {
      const waiting = this.inspectorWaiters.splice(0);
      for (const { resolve, reject } of waiting)
        if (message.url) resolve({ url: message.url, kernelGlobals: message.kernelGlobals ?? [] });
        else reject(new Error(`the kernel's inspector did not open: ${message.error ?? 'no reason given'}`));
      return;
    }
    if (message.type === 'child') {
      this.childPid = message.pid;
      return;
    }
    if (message.type === 'variables') {
      this.variableWaiters.get(message.request)?.(message.rows);
      this.variableWaiters.delete(message.request);
      return;
    }
    const cell = this.queue[0];
    if (!cell || cell.id !== message.id) return; // output of a cell that has already ended (a late timer)
    switch (message.type) {
      case 'input':
        void this.answerInput(message);
        break;
      case 'stream':
        cell.onOutput({ type: 'stream', name: message.name, text: message.text });
        break;
      case 'display':
        cell.onOutput({
          type: 'display',
          displayId: message.displayId,
          bundle: message.bundle,
          update: message.update,
        });
        break;
      case 'clear':
        cell.onOutput({ type: 'clear', wait: message.wait });
        break;
      case 'result':
        cell.onOutput({ type: 'result', bundle: message.bundle });
        break;
      case 'error':
        cell.error = message.error;
        cell.onOutput({ type: 'error', error: message.error });
        break;
      case 'done':
        this.clearGrace();
        this.queue.shift();
        cell.resolve({
          ok: message.ok,
          error: cell.error,
          interrupted: cell.interrupted || cell.error?.name === INTERRUPTED,
          stateLost: false,
        });
        this.setState(this.queue.length > 0 ? 'busy' : 'idle');
        void this.pump();
        break;
      default: {
        const unknown: never = message;
        (this.options.onLog ?? console.warn)(
          `LSTM Notebook: ignored a worker message of unknown type ${JSON.stringify(unknown)}`,
        );
      }
    }
  }

  private async answerInput(message: { id: number; prompt: string; password: boolean }): Promise<void> {
    const worker = this.worker;
    let reply: HostMessage;
    if (!this.options.onInput)
      reply = {
        type: 'inputReply',
        id: message.id,
        value: null,
        error: 'no one can answer here (the headless runner takes no input): give the value in the cell instead',
      };
    else {
      try {
        reply = {
          type: 'inputReply',
          id: message.id,
          value: await this.options.onInput({ prompt: message.prompt, password: message.password }),
        };
      } catch (error) {
        reply = { type: 'inputReply', id: message.id, value: null, error: (error as Error).message };
      }
    }
    // A worker replaced meanwhile never asked; the old one's cell has ended.
    if (this.worker === worker && this.currentState !== 'disposed') worker.postMessage(reply);
  }

  private finish(cell: Pending, result: ExecutionResult, report: boolean): void {
    if (report && result.error) cell.onOutput({ type: 'error', error: result.error });
    cell.resolve(result);
  }

  private rejectInspectorWaiters(reason: string): void {
    for (const { reject } of this.inspectorWaiters.splice(0)) reject(new Error(reason));
  }

  private killChild(): void {
    if (this.childPid !== null) killProcessTree(this.childPid);
    this.childPid = null;
  }

  /** The waits of a worker that is gone: a fresh worker (or none) has no variables. */
  private answerVariableWaiters(): void {
    for (const resolve of this.variableWaiters.values()) resolve([]);
    this.variableWaiters.clear();
  }

  private clearGrace(): void {
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = null;
  }

  private setState(state: KernelState): void {
    if (this.currentState === state || this.currentState === 'disposed') return;
    this.currentState = state;
    this.options.onStateChange?.(state);
  }
}

function cancelled(cellName: string): CellError {
  const message = `${cellName} did not run: the cell before it was interrupted.`;
  return { name: INTERRUPTED, message, stack: `${INTERRUPTED}: ${message}` };
}
