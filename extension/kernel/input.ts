/**
 * `await input(prompt, { password })` in a cell: Jupyter's input(), for a cell that must ask
 * its reader something (a token, a choice). Asynchronous on purpose: while the cell waits, the
 * worker still answers interrupts (the wait ends with Interrupted, every variable kept) and
 * everything the cell printed before the question has been shown first.
 *
 * One question at a time: a second input() while one is open waits for the first's answer.
 */
import { LstmError } from '../../core/index';
import { checkKeys, describe } from '../../core/host';
import type { WorkerMessage } from '../../protocol/kernel';
import type { Outbox } from './outbox';

interface Open {
  cell: number;
  resolve: (value: string | null) => void;
  reject: (error: Error) => void;
}

export class InputRequests {
  private open: Open | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly post: (message: WorkerMessage) => void,
    private readonly outbox: Outbox,
    private readonly cellId: () => number,
    private readonly check: () => void,
  ) {}

  /** What cells call: resolves to the answer, or null when the reader dismissed the question. */
  ask(prompt: unknown = '', options: unknown = {}): Promise<string | null> {
    if (typeof prompt !== 'string') throw new LstmError(`input: expected a prompt string, got ${describe(prompt)}`);
    checkKeys('input', options as object, ['password']);
    const password = (options as { password?: unknown } | undefined)?.password ?? false;
    if (typeof password !== 'boolean')
      throw new LstmError(`input: password must be true or false, got ${describe(password)}`);
    const cell = this.cellId();
    const asked = this.queue.then(async () => {
      await this.outbox.drain();
      this.check();
      return new Promise<string | null>((resolve, reject) => {
        this.open = { cell, resolve, reject };
        this.post({ type: 'input', id: cell, prompt, password });
      });
    });
    this.queue = asked.catch(() => {});
    return asked;
  }

  /** The host's inputReply; an answer for a cell that has ended is dropped. */
  answer(reply: { id: number; value: string | null; error?: string }): void {
    const open = this.open;
    if (!open || open.cell !== reply.id) return;
    this.open = null;
    if (reply.error !== undefined) open.reject(new LstmError(`input: ${reply.error}`));
    else open.resolve(reply.value);
  }

  /** A cell ended (or was interrupted): its open question is forgotten. */
  reset(): void {
    this.open = null;
    this.queue = Promise.resolve();
  }
}
