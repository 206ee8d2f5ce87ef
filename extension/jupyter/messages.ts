/**
 * The contents of the messages this kernel sends, built from what the engine gives: kernel_info,
 * a cell's outputs as IOPub messages, and an error as Jupyter spells it (ename, evalue,
 * traceback). Pure: kernel.ts decides when and to whom.
 */
import { LANGUAGE_INFO } from '../kernel/nbformat';
import type { CellError } from '../../protocol/kernel';
import type { CellOutput } from '../kernel/session';

export function kernelInfoReply(implementationVersion: string): Record<string, unknown> {
  return {
    status: 'ok',
    protocol_version: '5.3',
    implementation: 'lstm-notebook',
    implementation_version: implementationVersion,
    language_info: LANGUAGE_INFO,
    banner:
      `LSTM Notebook ${implementationVersion}: TypeScript cells (TypeScript ${LANGUAGE_INFO.version}, Node ${process.version}) ` +
      "with an embedded LSTM core; import { LSTM, train, plot } from 'lstm-notebook'",
    debugger: false,
    help_links: [{ text: 'LSTM Notebook', url: 'https://github.com/lstm-notebook/lstm-notebook#readme' }],
  };
}

/** A cell's error as an error message's or an error reply's fields; the stack's lines are the traceback. */
export function errorContent(error: CellError | undefined): { ename: string; evalue: string; traceback: string[] } {
  return {
    ename: error?.name ?? 'Error',
    evalue: error?.message ?? '',
    traceback: (error?.stack ?? '').split('\n'),
  };
}

/**
 * One output of a running cell as an IOPub message. `displayIds` makes the worker's display id
 * unique to this kernel (a replaced worker numbers its displays from 1 again).
 */
export function iopubOf(
  output: CellOutput,
  count: number,
  displayIds: (id: string) => string,
): { type: string; content: Record<string, unknown> } {
  switch (output.type) {
    case 'stream':
      return { type: 'stream', content: { name: output.name, text: output.text } };
    case 'display':
      return {
        type: output.update ? 'update_display_data' : 'display_data',
        content: { data: output.bundle, metadata: {}, transient: { display_id: displayIds(output.displayId) } },
      };
    case 'result':
      return { type: 'execute_result', content: { execution_count: count, data: output.bundle, metadata: {} } };
    case 'clear':
      return { type: 'clear_output', content: { wait: output.wait } };
    case 'error':
      return { type: 'error', content: errorContent(output.error) };
    default: {
      // A kind of output added to the engine but not here: shown, never a crash of the kernel.
      const unknown: never = output;
      return {
        type: 'stream',
        content: { name: 'stderr', text: `(an output this kernel cannot send: ${JSON.stringify(unknown)})\n` },
      };
    }
  }
}
