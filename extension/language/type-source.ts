/**
 * Where the language service reads the declarations that are not the notebook's: TypeScript's
 * own lib files, Node's types (@types/node and the undici-types it imports), the
 * `lstm-notebook` module's generated declarations, and the cells' globals. All appear under one
 * virtual folder laid out as a package tree, so TypeScript's own resolution finds them:
 *
 *   <root>/lib/lib.es2022.d.ts …                     TypeScript's libs
 *   <root>/node_modules/@types/node/…                Node's built-ins (a type root)
 *   <root>/node_modules/undici-types/…               imported by @types/node
 *   <root>/node_modules/lstm-notebook/index.d.ts …   scripts/build-types.mjs's output
 *   <root>/globals.d.ts                              what the kernel worker adds to globals
 *
 * A mount is a folder on disk or a map of texts. The libs and Node's types are read from this
 * package's node_modules in plain Node (nodeTypeSource), and from the copies the build puts in
 * dist/types in the packaged extension (bundledTypeSource).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { TYPES_ROOT } from '../../protocol/language';
import { LSTM_NOTEBOOK_TYPES } from './types.generated';

export interface TypeSource {
  /** The virtual folder everything here lives under (no trailing slash). */
  readonly root: string;
  readFile(path: string): string | undefined;
  fileExists(path: string): boolean;
  directoryExists(path: string): boolean;
  getDirectories(path: string): string[];
}

/** The globals a cell has beyond Node's (extension/kernel/worker.ts sets them). */
const GLOBALS = `/** Shows a value in the cell's output and returns a handle whose update(value) replaces it in place. */
declare const display: typeof import('lstm-notebook').display;
/** Clears the cell's outputs; with { wait: true } when the next output arrives (Jupyter's clear_output). */
declare const clearOutput: typeof import('lstm-notebook').clearOutput;
`;

type Mount = { prefix: string; dir: string; files?: never } | { prefix: string; files: ReadonlyMap<string, string> };

class MountedTypes implements TypeSource {
  private readonly cache = new Map<string, string | undefined>();

  constructor(
    readonly root: string,
    private readonly mounts: readonly Mount[],
  ) {}

  readFile(path: string): string | undefined {
    if (this.cache.has(path)) return this.cache.get(path);
    const found = this.find(path);
    let text: string | undefined;
    if (found && !found.mount.files) {
      const file = join(found.mount.dir, found.rest);
      text = existsSync(file) && statSync(file).isFile() ? readFileSync(file, 'utf8') : undefined;
    } else if (found?.mount.files) {
      text = found.mount.files.get(found.rest);
    }
    this.cache.set(path, text);
    return text;
  }

  fileExists(path: string): boolean {
    return this.readFile(path) !== undefined;
  }

  directoryExists(path: string): boolean {
    if (this.mounts.some((mount) => mount.prefix.startsWith(path.endsWith('/') ? path : path + '/'))) return true;
    const found = this.find(path + '/');
    if (!found) return false;
    if (!found.mount.files) {
      const dir = join(found.mount.dir, found.rest);
      return existsSync(dir) && statSync(dir).isDirectory();
    }
    return [...found.mount.files.keys()].some((key) => key.startsWith(found.rest));
  }

  getDirectories(path: string): string[] {
    const prefix = path.endsWith('/') ? path : path + '/';
    const names = new Set<string>();
    for (const mount of this.mounts) {
      if (mount.prefix.startsWith(prefix) && mount.prefix.length > prefix.length) {
        names.add(mount.prefix.slice(prefix.length).split('/')[0]);
      }
    }
    const found = this.find(prefix);
    if (found && !found.mount.files) {
      const dir = join(found.mount.dir, found.rest);
      if (existsSync(dir)) {
        for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) names.add(entry.name);
      }
    } else if (found?.mount.files) {
      for (const key of found.mount.files.keys()) {
        if (key.startsWith(found.rest) && key.slice(found.rest.length).includes('/')) {
          names.add(key.slice(found.rest.length).split('/')[0]);
        }
      }
    }
    return [...names];
  }

  private find(path: string): { mount: Mount; rest: string } | undefined {
    for (const mount of this.mounts) {
      if (path.startsWith(mount.prefix)) return { mount, rest: path.slice(mount.prefix.length) };
    }
    return undefined;
  }
}

/** The declarations read from this package's own node_modules (plain-Node tests and benchmarks). */
export function nodeTypeSource(root = TYPES_ROOT): TypeSource {
  const typescriptLib = dirname(require.resolve('typescript'));
  const nodeTypes = dirname(require.resolve('@types/node/package.json'));
  // @types/node's own dependency, found where @types/node would find it (not one of ours).
  const undiciTypes = dirname(createRequire(join(nodeTypes, 'package.json')).resolve('undici-types/package.json'));
  return mountedTypes(root, { lib: typescriptLib, nodeTypes, undiciTypes });
}

/**
 * The declarations the build copied beside the bundles (scripts/copy-types.mjs): the packaged
 * extension has no node_modules. `typesDir` holds lib/, @types/node/ and undici-types/.
 */
export function bundledTypeSource(typesDir: string, root = TYPES_ROOT): TypeSource {
  if (!existsSync(join(typesDir, 'lib', 'lib.es2022.d.ts'))) {
    throw new Error(`expected TypeScript's lib files in ${join(typesDir, 'lib')} (copied by the build), found none`);
  }
  return mountedTypes(root, {
    lib: join(typesDir, 'lib'),
    nodeTypes: join(typesDir, '@types', 'node'),
    undiciTypes: join(typesDir, 'undici-types'),
  });
}

function mountedTypes(root: string, dirs: { lib: string; nodeTypes: string; undiciTypes: string }): TypeSource {
  return new MountedTypes(root, [
    { prefix: `${root}/lib/`, dir: dirs.lib },
    { prefix: `${root}/node_modules/@types/node/`, dir: dirs.nodeTypes },
    { prefix: `${root}/node_modules/undici-types/`, dir: dirs.undiciTypes },
    { prefix: `${root}/node_modules/lstm-notebook/`, files: new Map(Object.entries(LSTM_NOTEBOOK_TYPES)) },
    { prefix: `${root}/`, files: new Map([['globals.d.ts', GLOBALS]]) },
  ]);
}
