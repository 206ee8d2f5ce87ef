/**
 * The Jupyter kernel as a client sees it, over ZeroMQ: cold start (process spawned → first
 * kernel_info_reply, and → the first execute_reply, once the worker is up), the round trip of an empty execute_request (request → execute_reply), and
 * a complete_request after a cell declared a model (the language service's first answer, then
 * later ones). The kernel is started the way kernel.json starts it; this client signs with the
 * kernel's own wire code. Prints a table and a BENCH_JSON line; nothing is asserted.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Dealer } from 'zeromq';
import { newMessage, parseMessage, serializeMessage, Signer } from '../extension/jupyter/wire';

const LAUNCHER = join(__dirname, '..', '..', 'bin', 'lstm-notebook.js');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lstm-notebook-bench-jupyter-'));
  const key = 'bench-key';
  const ports = {
    shell_port: await freePort(),
    iopub_port: await freePort(),
    stdin_port: await freePort(),
    control_port: await freePort(),
    hb_port: await freePort(),
  };
  const file = join(dir, 'connection.json');
  writeFileSync(
    file,
    JSON.stringify({ ...ports, ip: '127.0.0.1', transport: 'tcp', key, signature_scheme: 'hmac-sha256' }),
  );
  const shell = new Dealer();
  shell.connect(`tcp://127.0.0.1:${ports.shell_port}`);
  const signer = new Signer(key);
  const session = 'bench';
  const request = async (type: string, content: Record<string, unknown>) => {
    const message = newMessage(type, content, session);
    await shell.send(serializeMessage(message, [], signer));
    for (;;) {
      const frames = await shell.receive();
      const reply = parseMessage(frames, signer).message;
      if ((reply.parent_header as { msg_id?: string }).msg_id === message.header.msg_id) return reply;
    }
  };

  const t0 = performance.now();
  const kernel = spawn(process.execPath, [LAUNCHER, 'kernel', '--connection-file', file], { stdio: 'ignore' });
  await request('kernel_info_request', {});
  const coldMs = performance.now() - t0;

  const execute = (code: string) =>
    request('execute_request', {
      code,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    });
  await execute('0');
  const firstExecuteMs = performance.now() - t0;
  for (let i = 0; i < 20; i++) await execute('0');
  const trips: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await execute('0');
    trips.push(performance.now() - t);
  }

  await execute("import { LSTM } from 'lstm-notebook';\nconst model = new LSTM({ inputSize: 2, hiddenSize: 8 });");
  const completions: number[] = [];
  for (let i = 0; i < 11; i++) {
    const code = 'model.forw';
    const t = performance.now();
    await request('complete_request', { code, cursor_pos: code.length });
    completions.push(performance.now() - t);
  }

  kernel.kill('SIGTERM');
  shell.close();
  rmSync(dir, { recursive: true, force: true });
  const results = {
    coldStartMs: +coldMs.toFixed(0),
    firstExecuteMs: +firstExecuteMs.toFixed(0),
    emptyExecuteMedianMs: +median(trips).toFixed(2),
    firstCompletionMs: +completions[0].toFixed(0),
    laterCompletionMedianMs: +median(completions.slice(1)).toFixed(1),
  };
  console.table({
    'cold start (spawn → kernel_info_reply)': `${results.coldStartMs} ms`,
    'first execute_reply (spawn → the worker ran a cell)': `${results.firstExecuteMs} ms`,
    'empty execute round trip (median of 200)': `${results.emptyExecuteMedianMs} ms`,
    'first complete_request (language service starts)': `${results.firstCompletionMs} ms`,
    'later complete_request (median of 10)': `${results.laterCompletionMedianMs} ms`,
  });
  console.log('BENCH_JSON ' + JSON.stringify({ bench: 'jupyter', node: process.version, results }));
  process.exit(0);
}

void main();
