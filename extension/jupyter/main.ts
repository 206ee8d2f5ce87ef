/**
 * `lstm-notebook kernel …`, bundled as dist/jupyter.js (bin/lstm-notebook.js hands it the
 * arguments after `kernel`):
 *
 *   kernel install   [--user | --sys-prefix | --prefix DIR] [--name N] [--display-name D]
 *   kernel uninstall [--user | --sys-prefix | --prefix DIR] [--name N]
 *   kernel --connection-file FILE      run the kernel (what kernel.json's argv does)
 *
 * The kernel runs until a client's shutdown_request, SIGTERM, or the end of its parent. SIGINT
 * interrupts the running cell (as the protocol's "signal" interrupt mode does), it never stops
 * the kernel.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KernelSession } from '../kernel/session';
import { optionValue, usageFailure, UsageError } from '../kernel/usage';
import { readConnection } from './connection';
import { JupyterKernel } from './kernel';
import { DEFAULT_NAME, DISPLAY_NAME, install, uninstall, type Place } from './kernelspec';
import { KernelLanguage } from './language';
import { bindSockets } from './sockets';
import { Signer } from './wire';

const USAGE = `usage: lstm-notebook kernel install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--display-name NAME]
       lstm-notebook kernel uninstall [--user | --sys-prefix | --prefix DIR] [--name NAME]
       lstm-notebook kernel --connection-file FILE`;

/** dist/, where this bundle, the kernel worker and the language worker live. */
const DIST = __dirname;

export async function main(argv: string[]): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === 'install' || first === 'uninstall') return specCommand(first, rest);
    return await runKernel(connectionFileOf(argv));
  } catch (error) {
    return usageFailure('lstm-notebook kernel', USAGE, error);
  }
}

function connectionFileOf(argv: string[]): string {
  if (argv.length === 2 && (argv[0] === '--connection-file' || argv[0] === '-f')) return argv[1];
  if (argv.length === 1 && argv[0].startsWith('--connection-file=')) return argv[0].slice('--connection-file='.length);
  throw new UsageError(
    argv.length === 0
      ? 'expected install, uninstall or --connection-file FILE, got nothing'
      : `expected install, uninstall or --connection-file FILE, got ${JSON.stringify(argv.join(' '))}`,
  );
}

function specCommand(command: 'install' | 'uninstall', argv: string[]): number {
  let place: Place = { kind: 'user' };
  let name = DEFAULT_NAME;
  let displayName = DISPLAY_NAME;
  const value = (i: number, option: string) => optionValue(argv, i, option);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--user') place = { kind: 'user' };
    else if (arg === '--sys-prefix') place = { kind: 'sys-prefix' };
    else if (arg === '--prefix') place = { kind: 'prefix', dir: value(++i, '--prefix') };
    else if (arg === '--name') name = value(++i, '--name');
    else if (arg === '--display-name' && command === 'install') displayName = value(++i, '--display-name');
    else throw new UsageError(`unknown option ${JSON.stringify(arg)} for kernel ${command}`);
  }
  try {
    if (command === 'install') {
      const launcher = resolve(DIST, '..', 'bin', 'lstm-notebook.js');
      const folder = install({ place, name, displayName }, launcher, resolve(DIST, '..', 'media'));
      console.log(`Installed the kernelspec "${name}" (${displayName}) in ${folder}`);
    } else {
      console.log(`Removed the kernelspec "${name}" from ${uninstall({ place, name })}`);
    }
    return 0;
  } catch (error) {
    console.error(`lstm-notebook kernel ${command}: ${(error as Error).message}`);
    return 1;
  }
}

async function runKernel(connectionFile: string): Promise<number> {
  const log = (message: string) => console.error(`lstm-notebook kernel: ${message}`);
  const connection = readConnection(connectionFile);
  const sockets = await bindSockets(connection, log);
  let kernel: JupyterKernel | undefined;
  const session = new KernelSession({
    workerPath: join(DIST, 'worker.js'),
    // Jupyter starts a kernel in the notebook's folder: relative paths and packages resolve from there.
    notebookDir: process.cwd(),
    onStateChange: (state) => {
      if (state === 'restarting') kernel?.workerReplaced();
    },
    onLog: log,
    onInput: (request) => kernel!.askInput(request),
  });
  const language = new KernelLanguage(DIST, process.cwd(), () => kernel?.ranCells() ?? [], log);
  const stopped = new Promise<number>((done) => {
    kernel = new JupyterKernel({
      sockets,
      signer: new Signer(connection.key, connection.signature_scheme),
      session,
      language,
      info: { implementationVersion: packageVersion() },
      log,
      onShutdown: () => {
        sockets.close();
        done(0);
      },
    });
  });
  kernel!.start();
  process.on('SIGINT', () => kernel!.interrupt());
  process.on('SIGTERM', () => {
    void session.dispose().finally(() => process.exit(0));
  });
  await session.whenReady();
  return stopped;
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(DIST, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(`lstm-notebook kernel: ${error.stack ?? error.message}`);
      process.exit(1);
    },
  );
}
