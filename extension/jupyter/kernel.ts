/**
 * A Jupyter kernel (messaging protocol 5.3) over the same engine as VS Code's controller and
 * the headless runner: one KernelSession (a worker thread) runs the cells; this class turns
 * Jupyter requests into session calls and the session's outputs into IOPub messages.
 *
 *   shell    execute, complete, inspect, is_complete, history, kernel_info, comm_info
 *   control  shutdown, interrupt, kernel_info; debug_request answered "not supported"
 *   iopub    status, execute_input, stream, display_data, update_display_data,
 *            execute_result, error, clear_output
 *   stdin    input_request for a cell's `await input(prompt)`, answered by input_reply
 *   hb       echoed by the sockets
 *
 * Every request is bracketed by busy and idle status messages with the request as parent, as
 * the protocol asks. Executes queue (execute-queue.ts); the other shell requests are answered
 * at once, also while a cell runs, so completions never wait for a training loop.
 * A message whose signature is wrong is dropped and logged before anything reads it.
 */
import { randomUUID } from 'node:crypto';
import type { CellOutput, ExecutionResult, InputRequest, KernelSession } from '../kernel/session';
import { ExecuteQueue } from './execute-queue';
import { History, type HistoryQuery } from './history';
import { isComplete } from './is-complete';
import { errorContent, iopubOf, kernelInfoReply } from './messages';
import type { KernelLanguage } from './language';
import type { KernelSockets } from './sockets';
import { newMessage, parseMessage, serializeMessage, type Header, type Message, type Signer } from './wire';

interface KernelInfo {
  implementationVersion: string;
}

export interface KernelParts {
  sockets: KernelSockets;
  signer: Signer;
  session: KernelSession;
  language: KernelLanguage;
  info: KernelInfo;
  log: (message: string) => void;
  /** Called once the kernel has shut down (the process may exit). */
  onShutdown: () => void;
}

type Channel = 'shell' | 'control';

interface Request {
  channel: Channel;
  identities: Buffer[];
  message: Message;
}

export class JupyterKernel {
  private readonly session = randomUUID();
  private readonly history = new History();
  private readonly executes = new ExecuteQueue();
  private executionCount = 0;
  /** Cells that ran (for completions across cells), in order. */
  private readonly ran: string[] = [];
  /** Bumped when the worker is replaced: display ids of a new worker must not update an old one's outputs. */
  private generation = 0;
  private shuttingDown = false;
  /** The execute_request running now: where an input_request goes. */
  private current: Request | null = null;
  /** The running cell's open input() question, answered by the next input_reply on stdin. */
  private awaitingInput: ((value: string) => void) | null = null;

  constructor(private readonly parts: KernelParts) {}

  /** The cells that have run, for the language service. */
  ranCells(): string[] {
    return this.ran;
  }

  /** A new worker (after an out-of-memory restart) starts its display ids again. */
  workerReplaced(): void {
    this.generation++;
  }

  start(): void {
    const { sockets } = this.parts;
    for (const channel of ['shell', 'control'] as const)
      sockets.listen(channel, (frames) => this.receive(channel, frames));
    sockets.listen('stdin', (frames) => this.receiveInput(frames));
    void this.publish('status', { execution_state: 'starting' });
  }

  /** SIGINT and interrupt_request: stops the running cell (every variable kept). */
  interrupt(): void {
    this.parts.session.interrupt();
  }

  /**
   * A cell's `await input(prompt)`: an input_request on stdin to the client whose execute_request
   * runs, when that request allowed stdin; its input_reply is the answer.
   */
  askInput(request: InputRequest): Promise<string | null> {
    const current = this.current;
    if (!current) return Promise.reject(new Error('no cell is running'));
    if (current.message.content.allow_stdin !== true)
      return Promise.reject(
        new Error('this Jupyter client takes no input (its execute_request said allow_stdin: false)'),
      );
    return new Promise((resolve) => {
      this.awaitingInput = resolve;
      const message = newMessage('input_request', request, this.session, current.message.header);
      void this.parts.sockets.send('stdin', serializeMessage(message, current.identities, this.parts.signer));
    });
  }

  private receiveInput(frames: Buffer[]): void {
    let message: Message;
    try {
      message = parseMessage(frames, this.parts.signer).message;
    } catch (error) {
      this.parts.log(`dropped a message on stdin: ${(error as Error).message}`);
      return;
    }
    const answer = this.awaitingInput;
    if (message.header.msg_type !== 'input_reply' || !answer) {
      this.parts.log(`an unexpected ${message.header.msg_type} on stdin was ignored`);
      return;
    }
    this.awaitingInput = null;
    answer(typeof message.content.value === 'string' ? message.content.value : '');
  }

  private receive(channel: Channel, frames: Buffer[]): void {
    let request: Request;
    try {
      const { identities, message } = parseMessage(frames, this.parts.signer);
      request = { channel, identities, message };
    } catch (error) {
      this.parts.log(`dropped a message on ${channel}: ${(error as Error).message}`);
      return;
    }
    if (this.shuttingDown) return;
    void this.dispatch(request).catch((error: Error) =>
      this.parts.log(`${request.message.header.msg_type} failed: ${error.stack ?? error.message}`),
    );
  }

  private async dispatch(request: Request): Promise<void> {
    const type = request.message.header.msg_type;
    if (type === 'execute_request') return this.queueExecute(request);
    await this.publish('status', { execution_state: 'busy' }, request.message.header);
    try {
      await this.answer(request, type);
    } catch (error) {
      // A request that fails (the language worker gone, say) still gets its reply, saying why.
      const e = error as Error;
      this.parts.log(`${type} failed: ${e.stack ?? e.message}`);
      if (type.endsWith('_request'))
        await this.reply(request, type.replace(/_request$/, '_reply'), {
          status: 'error',
          ename: e.name,
          evalue: e.message,
          traceback: [`${e.name}: ${e.message}`],
        });
    } finally {
      await this.publish('status', { execution_state: 'idle' }, request.message.header);
    }
  }

  private async answer(request: Request, type: string): Promise<void> {
    const content = request.message.content;
    switch (type) {
      case 'kernel_info_request':
        return this.reply(request, 'kernel_info_reply', kernelInfoReply(this.parts.info.implementationVersion));
      case 'complete_request': {
        const { code, cursorPos } = codeAndCursor(content);
        return this.reply(request, 'complete_reply', {
          status: 'ok',
          ...(await this.parts.language.complete(code, cursorPos)),
        });
      }
      case 'inspect_request': {
        const { code, cursorPos } = codeAndCursor(content);
        return this.reply(request, 'inspect_reply', {
          status: 'ok',
          ...(await this.parts.language.inspect(code, cursorPos)),
        });
      }
      case 'is_complete_request':
        return this.reply(request, 'is_complete_reply', isComplete(String(content.code ?? '')));
      case 'history_request':
        return this.reply(request, 'history_reply', {
          status: 'ok',
          history: this.history.query(content as HistoryQuery),
        });
      case 'comm_info_request':
        return this.reply(request, 'comm_info_reply', { status: 'ok', comms: {} });
      case 'comm_open':
        // No comm targets exist here: the protocol asks for an immediate comm_close.
        this.parts.log(`no comm target ${JSON.stringify(content.target_name)}: closing comm ${content.comm_id}`);
        return this.publish('comm_close', { comm_id: content.comm_id, data: {} }, request.message.header);
      case 'comm_msg':
      case 'comm_close':
        return;
      case 'connect_request':
        return this.reply(request, 'connect_reply', { status: 'ok' });
      case 'interrupt_request':
        this.interrupt();
        return this.reply(request, 'interrupt_reply', { status: 'ok' });
      case 'shutdown_request':
        return this.shutdown(request, content.restart === true);
      case 'debug_request':
        return this.reply(request, 'debug_reply', {
          type: 'response',
          request_seq: (content as { seq?: unknown }).seq ?? 0,
          success: false,
          command: (content as { command?: unknown }).command ?? '',
          message:
            'this kernel has no debugger over Jupyter (kernel_info says debugger: false); use Debug Cell in VS Code',
        });
      default:
        this.parts.log(`unknown message type ${JSON.stringify(type)} on ${request.channel}: ignored`);
    }
  }

  private queueExecute(request: Request): void {
    const content = request.message.content;
    const parent = request.message.header;
    this.executes.push({
      stopOnError: content.stop_on_error !== false,
      run: async (replying) => {
        this.current = request;
        try {
          return await this.execute(request, replying);
        } finally {
          this.current = null;
          this.awaitingInput = null;
        }
      },
      abort: async () => {
        await this.publish('status', { execution_state: 'busy' }, parent);
        await this.reply(request, 'execute_reply', { status: 'aborted', execution_count: this.executionCount });
        await this.publish('status', { execution_state: 'idle' }, parent);
      },
    });
  }

  /** Runs one execute_request; resolves to whether the cell succeeded. `replying` is called just before its reply. */
  private async execute(request: Request, replying: () => void): Promise<boolean> {
    const content = request.message.content;
    const parent = request.message.header;
    const code = typeof content.code === 'string' ? content.code : '';
    const silent = content.silent === true;
    const storeHistory = !silent && content.store_history !== false;
    await this.publish('status', { execution_state: 'busy' }, parent);
    try {
      // An empty cell runs nothing and takes no number, as in IPython.
      if (code.trim() === '') {
        replying();
        await this.reply(request, 'execute_reply', {
          status: 'ok',
          execution_count: this.executionCount,
          payload: [],
          user_expressions: {},
        });
        return true;
      }
      if (storeHistory) this.executionCount++;
      const count = this.executionCount;
      if (!silent) await this.publish('execute_input', { code, execution_count: count }, parent);
      if (storeHistory) this.history.add(count, code);
      const result = await this.run(code, count, parent, { silent, history: storeHistory });
      if (result.ok) this.ran.push(code);
      const reply = result.ok
        ? {
            status: 'ok',
            execution_count: count,
            payload: [],
            user_expressions: await this.userExpressions(content.user_expressions, count),
          }
        : { status: 'error', execution_count: count, ...errorContent(result.error) };
      replying();
      await this.reply(request, 'execute_reply', reply);
      return result.ok;
    } finally {
      await this.publish('status', { execution_state: 'idle' }, parent);
    }
  }

  /** Runs code in the session, each output published as it comes (in order: each waits for the one before). */
  private async run(
    code: string,
    count: number,
    parent: Header,
    options: { silent: boolean; history: boolean },
  ): Promise<ExecutionResult> {
    let sent: Promise<void> = Promise.resolve();
    const onOutput = (output: CellOutput) => {
      if (output.type === 'result') {
        const text = output.bundle['text/plain'];
        if (options.history && typeof text === 'string') this.history.setOutput(count, text);
        if (options.silent) return;
      }
      const message = iopubOf(output, count, (id) => `${this.session}-${this.generation}-${id}`);
      sent = sent.then(() => this.publish(message.type, message.content, parent));
    };
    const result = await this.parts.session.execute(code, `In[${count}]`, onOutput);
    await sent;
    return result;
  }

  /** user_expressions: each evaluated after a successful cell, as its rich value or its error. */
  private async userExpressions(expressions: unknown, count: number): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    if (typeof expressions !== 'object' || expressions === null) return out;
    for (const [name, expression] of Object.entries(expressions)) {
      let data: Record<string, unknown> | null = null;
      const result = await this.parts.session.execute(String(expression), `In[${count}]`, (o) => {
        if (o.type === 'result') data = o.bundle;
      });
      out[name] = result.ok
        ? { status: 'ok', data: data ?? { 'text/plain': 'undefined' }, metadata: {} }
        : { status: 'error', ...errorContent(result.error) };
    }
    return out;
  }

  private async shutdown(request: Request, restart: boolean): Promise<void> {
    this.shuttingDown = true;
    const content = { status: 'ok', restart };
    await this.reply(request, 'shutdown_reply', content);
    // ipykernel also publishes it, so every client learns the kernel is going.
    await this.publish('shutdown_reply', content, request.message.header);
    await this.parts.session.dispose();
    this.parts.language.dispose();
    this.parts.onShutdown();
  }

  private reply(request: Request, type: string, content: Record<string, unknown>): Promise<void> {
    const message = newMessage(type, content, this.session, request.message.header);
    return this.parts.sockets.send(request.channel, serializeMessage(message, request.identities, this.parts.signer));
  }

  private publish(type: string, content: Record<string, unknown>, parent?: Header): Promise<void> {
    const message = newMessage(type, content, this.session, parent);
    const topic = Buffer.from(`kernel.${this.session}.${type}`);
    return this.parts.sockets.send('iopub', serializeMessage(message, [topic], this.parts.signer));
  }
}

function codeAndCursor(content: Record<string, unknown>): { code: string; cursorPos: number } {
  const code = typeof content.code === 'string' ? content.code : '';
  const cursorPos = typeof content.cursor_pos === 'number' ? content.cursor_pos : [...code].length;
  return { code, cursorPos };
}
