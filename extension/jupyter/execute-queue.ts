/**
 * execute_requests run one at a time, in the order they arrived, as in every Jupyter kernel.
 * When one fails and asked `stop_on_error` (the default), the requests already waiting behind
 * it when its reply went out are not run: each is answered "aborted", as ipykernel does, so a
 * notebook stops at its first error instead of running on with half its state. A request sent
 * after the client saw that reply (while the kernel still publishes its idle status) runs.
 */
export interface QueuedExecute {
  /**
   * Runs the request; resolves to whether it succeeded. Calls `replying` just before its
   * execute_reply is sent: what is waiting then is what a failure aborts.
   */
  run(replying: () => void): Promise<boolean>;
  /** Answers the request "aborted" without running it. */
  abort(): Promise<void>;
  stopOnError: boolean;
}

export class ExecuteQueue {
  private readonly waiting: QueuedExecute[] = [];
  private running = false;

  get busy(): boolean {
    return this.running;
  }

  push(request: QueuedExecute): void {
    this.waiting.push(request);
    void this.next();
  }

  private async next(): Promise<void> {
    if (this.running) return;
    const request = this.waiting.shift();
    if (!request) return;
    this.running = true;
    let ok = false;
    let waitingAtReply: number | null = null;
    try {
      ok = await request.run(() => (waitingAtReply = this.waiting.length));
    } finally {
      if (!ok && request.stopOnError)
        for (const aborted of this.waiting.splice(0, waitingAtReply ?? this.waiting.length)) await aborted.abort();
      this.running = false;
      void this.next();
    }
  }
}
