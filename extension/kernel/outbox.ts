/**
 * Everything a cell prints or displays leaves the worker through one outbox, in the order the
 * cell produced it. Streamed text is batched — a flush when 16 KiB are waiting or 50 ms have
 * passed since the first waiting line — so a loop printing 100,000 lines sends about a hundred
 * messages, not 100,000, and the host is never flooded. The check happens on every write,
 * because a cell in a synchronous loop never lets a timer fire; a timer catches the tail.
 *
 * Rich outputs may need async work first (charts render their SVG); while one is pending,
 * later text and outputs queue behind it, so the order stays the cell's order.
 */
import type { WorkerMessage } from '../../protocol/kernel';

const FLUSH_BYTES = 16 * 1024;
const FLUSH_MS = 50;

export class Outbox {
  private text: { id: number; name: 'stdout' | 'stderr'; chunks: string[]; bytes: number; since: number } | null = null;
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly post: (message: WorkerMessage) => void,
    private readonly cellId: () => number,
  ) {}

  stream(name: 'stdout' | 'stderr', chunk: string): void {
    if (chunk.length === 0) return;
    // Text belongs to the cell running when it was written, not to the one running at the flush.
    const id = this.cellId();
    if (this.text && (this.text.name !== name || this.text.id !== id)) this.flushText();
    if (!this.text) this.text = { id, name, chunks: [], bytes: 0, since: Date.now() };
    this.text.chunks.push(chunk);
    this.text.bytes += chunk.length;
    if (this.text.bytes >= FLUSH_BYTES || Date.now() - this.text.since >= FLUSH_MS) this.flushText();
    else if (!this.timer) this.timer = setTimeout(() => this.flushText(), FLUSH_MS);
  }

  /** Sends `make()`'s message after everything before it. */
  send(make: () => WorkerMessage | Promise<WorkerMessage>): void {
    this.flushText();
    if (this.pending === 0) {
      let message: WorkerMessage | Promise<WorkerMessage>;
      try {
        message = make();
      } catch (error) {
        // Reported on stderr, as behind a pending output: thrown, it would reach the caller only when nothing was pending.
        message = Promise.reject(error);
      }
      if (!(message instanceof Promise)) {
        this.post(message);
        return;
      }
      this.enqueue(() => message);
      return;
    }
    this.enqueue(make);
  }

  /** Resolves once every queued output has been posted. */
  async drain(): Promise<void> {
    this.flushText();
    while (this.pending > 0) await this.chain;
    this.flushText();
  }

  private enqueue(make: () => WorkerMessage | Promise<WorkerMessage>): void {
    this.pending++;
    this.chain = this.chain.then(async () => {
      try {
        this.post(await make());
      } catch (error) {
        this.post({
          type: 'stream',
          id: this.cellId(),
          name: 'stderr',
          text: `Could not show an output: ${(error as Error).message}\n`,
        });
      } finally {
        this.pending--;
      }
    });
  }

  private flushText(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const text = this.text;
    if (!text) return;
    this.text = null;
    const message: WorkerMessage = { type: 'stream', id: text.id, name: text.name, text: text.chunks.join('') };
    if (this.pending === 0) this.post(message);
    else this.enqueue(() => message);
  }
}
