/**
 * `%npm install …` in a cell (protocol/magics.ts): npm from the PATH as a child process in the
 * notebook's folder, its output streamed into the cell as it comes. A package.json
 * (`"private": true`) is created there first when absent, so npm installs into this folder's
 * node_modules rather than a parent project's, and the cell's imports (imports.ts) find it.
 * The kernel's Interrupt kills npm; a failing npm fails the cell with its exit code and last lines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { killProcessTree } from './process-tree';

class NpmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NpmError';
  }
}

export interface NpmDeps {
  notebookDir: string;
  stream: (name: 'stdout' | 'stderr', text: string) => void;
  /** The error an interrupted npm ends the cell with. */
  interrupted: () => Error;
  /** The program to run; `npm` (npm.cmd on Windows) from the PATH when absent. */
  command?: string;
  /**
   * npm's pid once it runs, null once it ended: the host kills its process tree if it ends the
   * worker meanwhile (a restart, the notebook's close), which a worker cannot do for itself.
   */
  onChild?: (pid: number | null) => void;
}

/** How many of npm's last lines a failure quotes. */
const LAST_LINES = 12;

export class NpmRunner {
  private child: ChildProcess | null = null;
  private stopped = false;

  constructor(private readonly deps: NpmDeps) {}

  /** Runs `npm <args> --no-audit --no-fund --color=false` in the notebook's folder. */
  async run(args: readonly string[]): Promise<void> {
    const { notebookDir, stream } = this.deps;
    const manifest = join(notebookDir, 'package.json');
    if (!existsSync(manifest)) {
      writeFileSync(manifest, `${JSON.stringify({ private: true }, null, 2)}\n`);
      stream(
        'stdout',
        `Created ${manifest} ("private": true): packages install into ${join(notebookDir, 'node_modules')}\n`,
      );
    }
    const windows = process.platform === 'win32';
    const command = this.deps.command ?? (windows ? 'npm.cmd' : 'npm');
    const full = [...args, '--no-audit', '--no-fund', '--color=false'];
    const shown = `npm ${args.join(' ')}`;
    let tail = '';
    const child = spawn(command, windows ? full.map(quoteForCmd) : full, {
      cwd: notebookDir,
      // Since Node 20.12 a .cmd runs only through the shell.
      shell: windows,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NO_COLOR: '1',
        npm_config_color: 'false',
        npm_config_progress: 'false',
        npm_config_update_notifier: 'false',
      },
      windowsHide: true,
      // Its own process group, so Interrupt ends npm and the scripts it runs together.
      detached: !windows,
    });
    this.child = child;
    this.stopped = false;
    if (child.pid !== undefined) this.deps.onChild?.(child.pid);
    for (const name of ['stdout', 'stderr'] as const)
      child[name]!.setEncoding('utf8').on('data', (text: string) => {
        stream(name, text);
        tail = (tail + text).slice(-8192);
      });
    const exit = await new Promise<{ code: number | null; signal: string | null; error?: Error }>((resolve) => {
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
    this.child = null;
    this.deps.onChild?.(null);
    if (this.stopped) throw this.deps.interrupted();
    if (exit.error) {
      const missing = (exit.error as { code?: string }).code === 'ENOENT';
      throw new NpmError(
        missing
          ? `${shown} could not start: no ${command} on the PATH (${process.env.PATH ?? ''}). Install Node.js with npm, or put npm on the PATH of the program that started the kernel.`
          : `${shown} could not start: ${exit.error.message}`,
      );
    }
    if (exit.code !== 0) {
      const lines = tail.trimEnd().split(/\r?\n/).slice(-LAST_LINES).join('\n');
      const how = exit.code === null ? `was killed by ${exit.signal}` : `failed with exit code ${exit.code}`;
      throw new NpmError(`${shown} ${how}; npm's last lines:\n${lines}`);
    }
    forgetPackages(notebookDir);
  }

  /** Kills a running npm (the kernel's Interrupt): its run() ends with the interrupted error. */
  interrupt(): void {
    if (!this.child) return;
    this.stopped = true;
    if (this.child.pid === undefined) this.child.kill();
    else killProcessTree(this.child.pid);
  }
}

/**
 * CommonJS modules loaded from the folder's node_modules, and where names resolved, are forgotten
 * after an install or an uninstall, so the next import finds what is now on disk. (ES modules cannot be unloaded:
 * a new version of one loaded before needs a kernel restart.)
 */
function forgetPackages(notebookDir: string): void {
  const cache = createRequire(join(notebookDir, '__notebook__.js')).cache;
  const prefix = join(notebookDir, 'node_modules') + sep;
  for (const key of Object.keys(cache)) if (key.startsWith(prefix)) delete cache[key];
  // Node remembers where each name resolved (an internal cache): an uninstalled package would still be found.
  const resolved = (Module as unknown as { _pathCache?: Record<string, string> })._pathCache;
  if (resolved) for (const key of Object.keys(resolved)) delete resolved[key];
}

/** An argument for cmd.exe: quoted when it holds a blank or a metacharacter (`^`, cmd's escape, in `lodash@^4` too). */
function quoteForCmd(arg: string): string {
  return /^[\w@./:=~+-]+$/.test(arg) ? arg : `"${arg.replace(/"/g, '""')}"`;
}
