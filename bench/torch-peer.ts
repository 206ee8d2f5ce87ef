/**
 * PyTorch's side of the side-by-side training-step benchmark: a long-lived
 * `/usr/bin/python3 bench/torch_step.py` worker, driven over JSON lines, so that one Node run can
 * alternate a step of our core and a step of PyTorch's on the same machine at the same moment.
 *
 *   const torch = await TorchPeer.start();           // null (reason printed) when torch is absent
 *   if (torch) {
 *     await torch.setup({ id: 'small-lstm', kind: 'lstm', V: 65, H: 128, B: 32, T: 64 });
 *     const ms = await torch.time('small-lstm', 'train', 10, 1);   // wall ms per step
 *     torch.close();
 *   }
 *
 * Install torch with `node scripts/install-torch.mjs` (Debian's python3-torch, as root).
 * Requests are answered in order; several may be in flight. A worker error rejects that request
 * only; a worker that exits rejects everything pending and later.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const TORCH_PYTHON = '/usr/bin/python3';
const INSTALL_HINT =
  'install it with `sudo apt-get install python3-torch libopenblas0-openmp` (or, as root, `node scripts/install-torch.mjs`)';

export type TorchKind = 'lstm' | 'gru' | 'rnn';
export type TorchWhat = 'train' | 'forward';

/** One model to time: one-hot inputs [T,B,V], torch.nn.{LSTM,GRU,RNN}(V, H) + Linear(H, V), Adam(1e-3). */
export interface TorchSetupSpec {
  id: string;
  kind: TorchKind;
  V: number;
  H: number;
  B: number;
  T: number;
  /** torch.set_num_threads while building; default 1 (each time() sets its own). */
  threads?: number;
  /** Seeds the inputs, targets and weights; default 1. */
  seed?: number;
}

/** What `{"cmd":"info"}` answers. */
export interface TorchInfo {
  /** torch.__version__, e.g. '1.13.0a0' (Debian 12's python3-torch). */
  torch: string;
  python: string;
  /** torch.__config__.parallel_info()'s thread line, e.g. 'at::get_num_threads() : 1'. */
  threads: string;
  numThreads: number;
  /** 'OpenMP', 'native thread pool', … */
  parallelBackend: string;
  /** 'openblas-openmp', 'openblas-pthread', 'mkl', 'reference', … (the BLAS actually loaded). */
  blas: string;
  mkl: boolean;
  openblas: boolean;
  mkldnn: boolean;
  /** OpenBLAS's kernel set in the worker, e.g. 'SkylakeX'; null for another BLAS. */
  blasCore: string | null;
  /** Set when the worker chose OPENBLAS_CORETYPE itself, e.g. 'SkylakeX (OpenBLAS detected Prescott)'. */
  blasCoreForced: string | null;
  /** BLAS_INFO of torch's build ('generic' on Debian: whatever libblas.so.3 is). */
  blasBuilt: string | null;
  blasLibraries: string[];
}

interface Pending {
  resolve: (reply: Record<string, unknown>) => void;
  reject: (error: Error) => void;
}

/** The repository root: two levels above out/bench/ (or one above bench/ when run from source). */
function repoRoot(): string {
  for (const root of [resolve(__dirname, '..', '..'), resolve(__dirname, '..')]) {
    if (existsSync(join(root, 'bench', 'torch_step.py'))) return root;
  }
  return resolve(__dirname, '..', '..');
}

export class TorchPeer {
  private readonly pending: Pending[] = [];
  private exited: Error | null = null;
  private stderrTail = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => this.onLine(line));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-4000);
    });
    child.stdin.on('error', () => {
      /* the exit handler reports it */
    });
    child.on('error', (error) => this.fail(new Error(`torch worker: ${error.message}`)));
    child.on('exit', (code, signal) => {
      const last = this.stderrTail.trim().split('\n').pop() ?? '';
      this.fail(new Error(`torch worker exited (${signal ?? `status ${code}`})${last ? `: ${last}` : ''}`));
    });
  }

  /**
   * Starts the worker and checks that it imports torch (by asking for info()).
   * Resolves to null, after printing a one-line reason, when python3, torch or the worker is missing.
   */
  static async start(options: { python?: string; script?: string } = {}): Promise<TorchPeer | null> {
    const python = options.python ?? TORCH_PYTHON;
    const script = options.script ?? join(repoRoot(), 'bench', 'torch_step.py');
    if (!existsSync(python)) {
      console.log(`torch-peer: PyTorch is absent (no ${python}): ${INSTALL_HINT}`);
      return null;
    }
    if (!existsSync(script)) {
      console.log(`torch-peer: the worker ${script} is missing`);
      return null;
    }
    const child = spawn(python, [script], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONUNBUFFERED: '1' },
    });
    const peer = new TorchPeer(child);
    try {
      await peer.info();
      return peer;
    } catch (error) {
      peer.close();
      const message = (error as Error).message;
      // torch_step.py exits with status 3 when `import torch` fails.
      if (/status 3\b|PyTorch is absent/.test(message)) console.log(`torch-peer: PyTorch is absent: ${INSTALL_HINT}`);
      else console.log(`torch-peer: the PyTorch worker did not start: ${message}`);
      return null;
    }
  }

  /** Builds (or rebuilds) the model, data and optimizer kept under spec.id. */
  async setup(spec: TorchSetupSpec): Promise<void> {
    await this.request({ cmd: 'setup', threads: 1, seed: 1, ...spec });
  }

  /** Runs `reps` training steps or forward passes with torch.set_num_threads(threads): wall ms of each. */
  async time(id: string, what: TorchWhat, reps: number, threads: number): Promise<number[]> {
    const reply = await this.request({ cmd: 'time', id, what, reps, threads });
    return reply.ms as number[];
  }

  /** torch's version, threads and BLAS. */
  async info(): Promise<TorchInfo> {
    return (await this.request({ cmd: 'info' })) as unknown as TorchInfo;
  }

  /** Asks the worker to quit and lets it go; kills it if it is still there after 2 s. Idempotent. */
  close(): void {
    if (!this.exited) {
      this.fail(new Error('torch worker closed'));
      if (this.child.stdin.writable) {
        this.child.stdin.write('{"cmd":"quit"}\n');
        this.child.stdin.end();
      }
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 2000);
      timer.unref();
      this.child.once('exit', () => clearTimeout(timer));
    }
    this.child.stdout.destroy();
    this.child.stderr.destroy();
    this.child.unref();
  }

  private request(message: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.child.stdin.write(JSON.stringify(message) + '\n');
    });
  }

  private onLine(line: string): void {
    if (!line.trim()) return;
    const waiter = this.pending.shift();
    if (!waiter) return;
    let reply: Record<string, unknown>;
    try {
      reply = JSON.parse(line) as Record<string, unknown>;
    } catch {
      waiter.reject(new Error(`torch worker sent a line that is not JSON: ${line.slice(0, 200)}`));
      return;
    }
    if (typeof reply.error === 'string') waiter.reject(new Error(`torch worker: ${reply.error}`));
    else waiter.resolve(reply);
  }

  private fail(error: Error): void {
    if (!this.exited) this.exited = error;
    for (const waiter of this.pending.splice(0)) waiter.reject(error);
  }
}
