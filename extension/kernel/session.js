"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.KernelSession = void 0;
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
const node_worker_threads_1 = require("node:worker_threads");
const kernel_1 = require("../../protocol/kernel");
class KernelSession {
    options;
    worker;
    ready;
    flags;
    queue = [];
    nextId = 1;
    graceTimer = null;
    currentState = 'starting';
    constructor(options) {
        this.options = options;
        this.start();
    }
    get state() {
        return this.currentState;
    }
    /** Resolves once the worker can run cells (cold start). */
    whenReady() {
        return this.ready;
    }
    execute(code, cellName, onOutput = () => { }) {
        if (this.currentState === 'disposed')
            return Promise.reject(new Error('the kernel session was disposed'));
        return new Promise((resolve) => {
            this.queue.push({ id: this.nextId++, code, cellName, onOutput, resolve, started: false, interrupted: false });
            void this.pump();
        });
    }
    /** Stops the running cell and cancels those waiting behind it, as Jupyter does. */
    interrupt() {
        const [running, ...waiting] = this.queue;
        for (const cell of waiting)
            this.finish(cell, { ok: false, interrupted: true, stateLost: false, error: cancelled(cell.cellName) }, false);
        this.queue.length = running ? 1 : 0;
        if (!running || !running.started)
            return;
        running.interrupted = true;
        Atomics.store(this.flags, kernel_1.INTERRUPT_FLAG, 1);
        this.worker.postMessage({ type: 'interrupt', id: running.id });
        if (!this.graceTimer) {
            const grace = this.options.interruptGraceMs ?? 3000;
            this.graceTimer = setTimeout(() => {
                this.graceTimer = null;
                this.replaceWorker(`The kernel did not stop within ${grace / 1000} s of the interrupt and was restarted: every variable was lost.`, true);
            }, grace);
        }
    }
    /** A fresh worker: every variable is gone. A running cell ends with an error saying so. */
    async restart() {
        this.replaceWorker('The kernel was restarted while this cell ran: every variable was lost.', false);
        await this.ready;
    }
    async dispose() {
        this.setState('disposed');
        for (const cell of this.queue.splice(0))
            cell.resolve({ ok: false, interrupted: false, stateLost: true, error: { name: 'Error', message: 'The kernel was shut down.', stack: 'Error: The kernel was shut down.' } });
        this.clearGrace();
        await this.worker.terminate();
    }
    start() {
        const buffer = new SharedArrayBuffer(4);
        this.flags = new Int32Array(buffer);
        const config = { notebookDir: this.options.notebookDir, interruptBuffer: buffer };
        const worker = new node_worker_threads_1.Worker(this.options.workerPath, {
            workerData: config,
            resourceLimits: { maxOldGenerationSizeMb: this.options.heapLimitMb ?? 4096 },
            stdout: false,
            stderr: false,
        });
        this.worker = worker;
        this.ready = new Promise((resolve, reject) => {
            const onMessage = (message) => {
                if (message.type === 'ready') {
                    worker.off('message', onMessage);
                    resolve();
                }
            };
            worker.on('message', onMessage);
            worker.once('error', reject);
        });
        this.ready.then(() => {
            if (this.worker !== worker)
                return;
            worker.on('message', (message) => this.onMessage(message));
            this.setState(this.queue.length > 0 ? 'busy' : 'idle');
            void this.pump();
        }, () => { });
        let started = false;
        this.ready.then(() => { started = true; }, () => { });
        worker.on('error', (error) => this.onWorkerGone(worker, error, started));
        worker.on('exit', (code) => this.onWorkerGone(worker, new Error(`the kernel worker exited with code ${code}`), started));
    }
    onWorkerGone(worker, error, started) {
        if (worker !== this.worker || this.currentState === 'disposed')
            return;
        if (!started) {
            // A worker that cannot even start would fail again: end every cell with the reason.
            const message = `The kernel could not start: ${error.message}`;
            this.setState('disposed');
            for (const cell of this.queue.splice(0))
                this.finish(cell, { ok: false, interrupted: false, stateLost: true, error: { name: 'KernelDied', message, stack: message } }, true);
            return;
        }
        const outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
        const why = outOfMemory
            ? `The kernel ran out of memory (heap limit ${this.options.heapLimitMb ?? 4096} MiB) and was restarted: every variable was lost.`
            : `The kernel stopped unexpectedly (${error.message}) and was restarted: every variable was lost.`;
        this.replaceWorker(why, false, outOfMemory ? 'OutOfMemory' : 'KernelDied');
    }
    replaceWorker(why, interrupted, name = interrupted ? kernel_1.INTERRUPTED : 'KernelRestarted') {
        this.clearGrace();
        const old = this.worker;
        const running = this.queue[0]?.started ? this.queue.shift() : undefined;
        this.setState('restarting');
        this.start();
        void old.terminate();
        if (running) {
            const error = { name, message: why, stack: `${name}: ${why}` };
            this.finish(running, { ok: false, interrupted, stateLost: true, error }, true);
        }
    }
    async pump() {
        const cell = this.queue[0];
        if (!cell || cell.started || this.currentState === 'starting' || this.currentState === 'restarting' || this.currentState === 'disposed')
            return;
        cell.started = true;
        this.setState('busy');
        this.worker.postMessage({ type: 'execute', id: cell.id, code: cell.code, cellName: cell.cellName });
    }
    onMessage(message) {
        if (message.type === 'ready')
            return;
        const cell = this.queue[0];
        if (!cell || cell.id !== message.id)
            return; // output of a cell that has already ended (a late timer)
        switch (message.type) {
            case 'stream':
                cell.onOutput({ type: 'stream', name: message.name, text: message.text });
                break;
            case 'display':
                cell.onOutput({ type: 'display', displayId: message.displayId, bundle: message.bundle, update: message.update });
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
                cell.resolve({ ok: message.ok, error: cell.error, interrupted: cell.interrupted || cell.error?.name === kernel_1.INTERRUPTED, stateLost: false });
                this.setState(this.queue.length > 0 ? 'busy' : 'idle');
                void this.pump();
                break;
            default: {
                const unknown = message;
                throw new Error(`unknown worker message ${JSON.stringify(unknown)}`);
            }
        }
    }
    finish(cell, result, report) {
        if (report && result.error)
            cell.onOutput({ type: 'error', error: result.error });
        cell.resolve(result);
    }
    clearGrace() {
        if (this.graceTimer)
            clearTimeout(this.graceTimer);
        this.graceTimer = null;
    }
    setState(state) {
        if (this.currentState === state || this.currentState === 'disposed')
            return;
        this.currentState = state;
        this.options.onStateChange?.(state);
    }
}
exports.KernelSession = KernelSession;
function cancelled(cellName) {
    const message = `${cellName} did not run: the cell before it was interrupted.`;
    return { name: kernel_1.INTERRUPTED, message, stack: `${kernel_1.INTERRUPTED}: ${message}` };
}
//# sourceMappingURL=session.js.map