import { type CellError, type MimeBundle } from '../../protocol/kernel';
export type KernelState = 'starting' | 'idle' | 'busy' | 'restarting' | 'disposed';
/** What a running cell produces, in order. */
export type CellOutput = {
    type: 'stream';
    name: 'stdout' | 'stderr';
    text: string;
} | {
    type: 'display';
    displayId: string;
    bundle: MimeBundle;
    update: boolean;
} | {
    type: 'result';
    bundle: MimeBundle;
} | {
    type: 'error';
    error: CellError;
};
export interface ExecutionResult {
    ok: boolean;
    /** The error the cell ended with (also delivered as an 'error' output). */
    error?: CellError;
    /** True when the cell ended because of interrupt(). */
    interrupted: boolean;
    /** True when the worker had to be replaced: every variable is gone. */
    stateLost: boolean;
}
export interface SessionOptions {
    /** The bundled worker (dist/worker.js). */
    workerPath: string;
    notebookDir: string;
    /** V8 old-space limit of the worker, in MiB. */
    heapLimitMb?: number;
    /** How long an interrupted cell may take to stop before the worker is replaced. */
    interruptGraceMs?: number;
    onStateChange?: (state: KernelState) => void;
}
export declare class KernelSession {
    private readonly options;
    private worker;
    private ready;
    private flags;
    private readonly queue;
    private nextId;
    private graceTimer;
    private currentState;
    constructor(options: SessionOptions);
    get state(): KernelState;
    /** Resolves once the worker can run cells (cold start). */
    whenReady(): Promise<void>;
    execute(code: string, cellName: string, onOutput?: (output: CellOutput) => void): Promise<ExecutionResult>;
    /** Stops the running cell and cancels those waiting behind it, as Jupyter does. */
    interrupt(): void;
    /** A fresh worker: every variable is gone. A running cell ends with an error saying so. */
    restart(): Promise<void>;
    dispose(): Promise<void>;
    private start;
    private onWorkerGone;
    private replaceWorker;
    private pump;
    private onMessage;
    private finish;
    private clearGrace;
    private setState;
}
