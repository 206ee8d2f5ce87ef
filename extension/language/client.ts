/**
 * The extension host's side of the cells' language worker (extension/language/worker.ts):
 * starts it on the first request — so activation stays as fast as before, and a VS Code that
 * never opens an LSTM notebook never loads TypeScript — sends typed requests and matches the
 * replies by id. A worker that dies (a crash, out of memory) fails the requests in flight and
 * is started again on the next one, with every notebook's last cells sent first; after
 * MAX_RESTARTS deaths it stays down (the editor works on without types).
 */
import { Worker } from 'node:worker_threads';
import {
  CANCELLED,
  cancellationRing,
  markCancelled,
  type LanguageMethod,
  type LanguageMethods,
  type LanguageResponse,
  type LanguageWorkerConfig,
} from '../../protocol/language';

/** What a request can be cancelled by (vscode.CancellationToken has this shape; the client imports no vscode). */
export interface Cancellation {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

/** A request's promise rejects with this when its Cancellation fires: no one waits for the answer. */
export class CancelledError extends Error {
  constructor(method: string) {
    super(`${method} cancelled`);
    this.name = 'CancelledError';
  }
}

const MAX_RESTARTS = 5;

type UpdateParams = LanguageMethods['update']['params'];

export class LanguageClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  /** Each notebook's last cells: what a restarted worker is sent first. */
  private readonly notebooks = new Map<string, UpdateParams>();
  private deaths = 0;
  private disposed = false;
  /** Shared with every worker this client starts (protocol/language.ts's cancellation ring). */
  private readonly cancelled = cancellationRing();

  constructor(
    private readonly workerPath: string,
    private readonly config: LanguageWorkerConfig,
    private readonly log: (message: string) => void,
  ) {}

  /** Whether the worker is running (for tests: it starts with the first LSTM notebook). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  update(params: UpdateParams): Promise<null> {
    this.notebooks.set(params.notebook, params);
    return this.request('update', params);
  }

  close(notebook: string): Promise<null> | undefined {
    if (!this.notebooks.delete(notebook)) return undefined;
    return this.worker ? this.request('close', { notebook }) : undefined;
  }

  /**
   * Sends a request; with `cancellation`, firing it marks the request cancelled for the worker
   * (skipped if not begun, stopped at TypeScript's next check) and rejects with CancelledError.
   */
  request<M extends LanguageMethod>(
    method: M,
    params: LanguageMethods[M]['params'],
    cancellation?: Cancellation,
  ): Promise<LanguageMethods[M]['result']> {
    if (cancellation?.isCancellationRequested) return Promise.reject(new CancelledError(method));
    const worker = this.ensureWorker();
    if (!worker)
      return Promise.reject(
        new Error('the language worker is not running (stopped after repeated crashes, or disposed)'),
      );
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const listener = cancellation?.onCancellationRequested(() => {
        if (!this.pending.delete(id)) return;
        markCancelled(this.cancelled, id);
        listener?.dispose();
        reject(new CancelledError(method));
      });
      const done =
        <T>(settle: (value: T) => void) =>
        (value: T) => {
          listener?.dispose();
          settle(value);
        };
      this.pending.set(id, { resolve: done(resolve as (result: unknown) => void), reject: done(reject) });
      worker.postMessage({ id, method, params });
    });
  }

  dispose(): void {
    this.disposed = true;
    void this.worker?.terminate();
    this.worker = undefined;
    this.failPending('the language worker was disposed');
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker || this.disposed || this.deaths >= MAX_RESTARTS) return this.worker;
    const workerData: LanguageWorkerConfig = { ...this.config, cancelled: this.cancelled };
    const worker = new Worker(this.workerPath, { workerData, name: 'lstm-notebook-language' });
    worker.unref(); // never keeps the extension host alive
    worker.on('message', (response: LanguageResponse) => this.settle(response));
    worker.on('error', (error) => this.log(`language worker error: ${error.stack ?? error.message}`));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (this.disposed) return;
      this.deaths++;
      this.log(
        `language worker exited with code ${code}` +
          (this.deaths >= MAX_RESTARTS
            ? `; not restarted after ${this.deaths} exits`
            : '; restarting on the next request'),
      );
      this.failPending(`the language worker exited with code ${code}`);
    });
    this.worker = worker;
    // A fresh worker knows no notebook: replay each one's cells before anything else (messages keep their order).
    for (const params of this.notebooks.values()) {
      worker.postMessage({ id: this.nextId++, method: 'update', params });
    }
    return worker;
  }

  private settle(response: LanguageResponse): void {
    const waiting = this.pending.get(response.id);
    if (!waiting) {
      // A replayed update, a cancelled request, or a reply to nothing we sent: only an error is worth a line.
      if (!response.ok && response.error !== CANCELLED) this.log(`language worker: ${response.error}`);
      return;
    }
    this.pending.delete(response.id);
    if (response.ok) waiting.resolve(response.result);
    else waiting.reject(new Error(response.error));
  }

  private failPending(reason: string): void {
    for (const { reject } of this.pending.values()) reject(new Error(reason));
    this.pending.clear();
  }
}
