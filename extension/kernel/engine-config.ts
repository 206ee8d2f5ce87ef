/**
 * Sets up the core's engine in a kernel worker: the engine the host asked for (WorkerConfig,
 * from the lstmNotebook.kernel.engine setting or the runner's --engine), overridden by
 * LSTM_NOTEBOOK_ENGINE; and the WebAssembly engine's helper thread unless one thread was asked
 * for (lstmNotebook.kernel.threads, --threads, LSTM_NOTEBOOK_THREADS).
 */
import type { WorkerConfig } from '../../protocol/kernel';
import { setEngine } from '../../core/host';
import { enableRelaxedSimd, startWasmHelper } from './wasm-helper';

/** Applies the configuration; returns a note when the WebAssembly engine had to be given up, else null. */
export function configureEngine(
  config: Pick<WorkerConfig, 'engine' | 'threads'>,
  env: NodeJS.ProcessEnv,
): string | null {
  const wanted = env.LSTM_NOTEBOOK_ENGINE ?? config.engine ?? 'wasm';
  const threads = env.LSTM_NOTEBOOK_THREADS ?? String(config.threads ?? 2);
  if (wanted !== 'wasm') {
    setEngine('js');
    return wanted === 'js'
      ? null
      : `LSTM Notebook: unknown engine ${JSON.stringify(wanted)} (expected "wasm" or "js"); using "js"`;
  }
  try {
    enableRelaxedSimd();
    setEngine('wasm');
  } catch (error) {
    setEngine('js');
    return `LSTM Notebook: ${(error as Error).message}; using the JS engine`;
  }
  if (threads !== '1') startWasmHelper({ ...env, LSTM_NOTEBOOK_THREADS: threads });
  return null;
}
