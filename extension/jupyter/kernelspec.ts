/**
 * `lstm-notebook kernel install | uninstall`: the kernelspec folder Jupyter looks for —
 * kernels/<name>/ with kernel.json and the logos — in one of the places `jupyter kernelspec
 * list` reads:
 *
 *   --user (default)   the user's Jupyter data folder: $JUPYTER_DATA_DIR, else
 *                      ~/.local/share/jupyter ($XDG_DATA_HOME/jupyter) on Linux,
 *                      ~/Library/Jupyter on macOS, %APPDATA%\jupyter on Windows
 *   --sys-prefix       <the active Python environment>/share/jupyter ($VIRTUAL_ENV, $CONDA_PREFIX,
 *                      else the prefix of the `python3` on PATH)
 *   --prefix DIR       DIR/share/jupyter
 *
 * kernel.json starts this same launcher with the Node that ran the install (its absolute path,
 * so Jupyter needs no Node on its PATH).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const DEFAULT_NAME = 'lstm-notebook';
export const DISPLAY_NAME = 'LSTM (TypeScript)';

export type Place = { kind: 'user' } | { kind: 'sys-prefix' } | { kind: 'prefix'; dir: string };

export interface SpecOptions {
  place: Place;
  name: string;
  displayName: string;
}

/** The folder `kernels/` lives in, for a place. */
export function dataDir(place: Place, env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  switch (place.kind) {
    case 'prefix':
      return join(resolve(place.dir), 'share', 'jupyter');
    case 'sys-prefix':
      return join(pythonPrefix(env), 'share', 'jupyter');
    case 'user': {
      if (env.JUPYTER_DATA_DIR) return resolve(env.JUPYTER_DATA_DIR);
      if (platform === 'darwin') return join(homedir(), 'Library', 'Jupyter');
      if (platform === 'win32') {
        if (!env.APPDATA) throw new Error('expected %APPDATA% to be set to find the Jupyter data folder, got nothing');
        return join(env.APPDATA, 'jupyter');
      }
      return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'jupyter');
    }
  }
}

function pythonPrefix(env: NodeJS.ProcessEnv): string {
  if (env.VIRTUAL_ENV) return env.VIRTUAL_ENV;
  if (env.CONDA_PREFIX) return env.CONDA_PREFIX;
  try {
    return execFileSync('python3', ['-c', 'import sys; print(sys.prefix)'], { encoding: 'utf8' }).trim();
  } catch (error) {
    throw new Error(
      `--sys-prefix needs a Python environment: expected $VIRTUAL_ENV, $CONDA_PREFIX or a python3 on PATH, got none (${(error as Error).message.split('\n')[0]})`,
      { cause: error },
    );
  }
}

/** The kernel name Jupyter accepts: letters, digits, '.', '_' and '-'. */
export function checkName(name: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(name))
    throw new Error(`expected a kernel name of letters, digits, ".", "_" and "-", got ${JSON.stringify(name)}`);
  return name;
}

export function kernelJson(launcher: string, displayName: string): Record<string, unknown> {
  return {
    argv: [process.execPath, launcher, 'kernel', '--connection-file', '{connection_file}'],
    display_name: displayName,
    language: 'typescript',
    interrupt_mode: 'message',
    metadata: { debugger: false },
  };
}

/** Writes the kernelspec; returns its folder. */
export function install(options: SpecOptions, launcher: string, mediaDir: string): string {
  const folder = join(dataDir(options.place), 'kernels', checkName(options.name));
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'kernel.json'), `${JSON.stringify(kernelJson(launcher, options.displayName), null, 1)}\n`);
  for (const logo of ['logo-32x32.png', 'logo-64x64.png']) copyFileSync(join(mediaDir, logo), join(folder, logo));
  return folder;
}

/** Removes the kernelspec; returns its folder, or throws naming where it looked. */
export function uninstall(options: Omit<SpecOptions, 'displayName'>): string {
  const folder = join(dataDir(options.place), 'kernels', checkName(options.name));
  if (!existsSync(join(folder, 'kernel.json')))
    throw new Error(`expected a kernelspec "${options.name}" at ${folder}, found none: nothing was removed`);
  rmSync(folder, { recursive: true, force: true });
  return folder;
}
