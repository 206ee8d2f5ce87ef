/**
 * Runs cells through a real kernel session: the bundled worker (dist/worker.js, built by
 * `npm run build`, which `npm test` runs first) in a real worker thread.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  KernelSession,
  type CellOutput,
  type ExecutionResult,
  type SessionOptions,
} from '../../extension/kernel/session';

export const WORKER_PATH = join(__dirname, '..', '..', '..', 'dist', 'worker.js');

export function newSession(options: Partial<SessionOptions> = {}): KernelSession {
  if (!existsSync(WORKER_PATH)) throw new Error(`${WORKER_PATH} is missing: run \`npm run build\` first`);
  return new KernelSession({ workerPath: WORKER_PATH, notebookDir: process.cwd(), ...options });
}

export interface CellRun extends ExecutionResult {
  outputs: CellOutput[];
  /** stdout and stderr text, concatenated in order. */
  stdout: string;
  stderr: string;
  /** text/plain of the execute result, if any. */
  value: string | undefined;
}

let cellCount = 0;

export async function run(session: KernelSession, code: string, cellName = `Cell ${++cellCount}`): Promise<CellRun> {
  const outputs: CellOutput[] = [];
  const result = await session.execute(code, cellName, (o) => outputs.push(o));
  const text = (name: string) => outputs.map((o) => (o.type === 'stream' && o.name === name ? o.text : '')).join('');
  const last = outputs.filter((o) => o.type === 'result').at(-1);
  const value = last && last.type === 'result' ? (last.bundle['text/plain'] as string) : undefined;
  return { ...result, outputs, stdout: text('stdout'), stderr: text('stderr'), value };
}
