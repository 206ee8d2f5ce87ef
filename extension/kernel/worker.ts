/**
 * Kernel worker entry: one worker thread per open notebook runs the user's cells against the
 * embedded core. The execution engine (transpile, REPL rewrite, display protocol) arrives with
 * issue 3; this entry already bundles the core so the bundle layout is fixed.
 */
import { parentPort } from 'node:worker_threads';
import * as core from '../../core/index';

parentPort?.postMessage({ type: 'ready', exports: Object.keys(core).sort() });
